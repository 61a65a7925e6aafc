//! The native driver: the server's loop on one thread, fed by a thread reading stdin (or any
//! byte stream), writing through a thread that owns the output, and running each job on a
//! thread of its own so messages (edits, cancellations) keep arriving while a document is
//! analysed.

use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver, Sender};

use serde_json::Value;

use crate::jobs::{Done, Job};
use crate::server::{Output, Server};
use crate::transport;

enum Event {
    Message(Value),
    Done(Done),
    Closed,
}

/// Where the client's messages go in: cheap to clone, usable from any thread.
#[derive(Clone)]
pub struct Connection {
    events: Sender<Event>,
}

impl Connection {
    /// Hand the server a message from the client. False once the server has stopped.
    pub fn send(&self, message: Value) -> bool {
        self.events.send(Event::Message(message)).is_ok()
    }

    /// The client went away: the server stops.
    pub fn close(&self) {
        let _ = self.events.send(Event::Closed);
    }
}

/// Start a server on a thread of its own; `deliver` receives every message for the client,
/// with the connection to answer the server's requests.
pub fn start<F>(deliver: F) -> (Connection, std::thread::JoinHandle<()>)
where
    F: FnMut(Value, &Connection) + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let connection = Connection { events: tx };
    let own = connection.clone();
    let handle = std::thread::Builder::new()
        .name("iamlint-lsp".to_string())
        .spawn(move || run_loop(rx, own, deliver))
        .expect("cannot start the language server thread");
    (connection, handle)
}

/// Serve LSP on a byte stream until the client exits or closes `input`.
pub fn serve<R, W>(input: R, mut output: W) -> std::io::Result<()>
where
    R: Read + Send + 'static,
    W: Write + Send + 'static,
{
    // The output thread: a reply costs one thread switch, and the server never waits for the
    // client to read.
    let (out_tx, out_rx) = mpsc::channel::<Value>();
    let writer = std::thread::Builder::new()
        .name("iamlint-lsp-output".to_string())
        .spawn(move || {
            for message in out_rx {
                if transport::write_message(&mut output, &message).is_err() {
                    return;
                }
            }
        })?;
    let (connection, server) = start(move |message, _| {
        let _ = out_tx.send(message);
    });
    let reader = connection.clone();
    std::thread::Builder::new()
        .name("iamlint-lsp-input".to_string())
        .spawn(move || {
            transport::read_messages(input, |m| reader.send(m));
            reader.close();
        })?;
    let _ = server.join();
    // What the server wrote last (the shutdown reply) is on its way out: let it through.
    let _ = writer.join();
    Ok(())
}

fn run_loop<F>(events: Receiver<Event>, connection: Connection, mut deliver: F)
where
    F: FnMut(Value, &Connection),
{
    let mut server = Server::new();
    while let Ok(event) = events.recv() {
        match event {
            Event::Message(m) => server.handle(m),
            Event::Done(d) => server.finish(d),
            Event::Closed => return,
        }
        for output in server.take_output() {
            match output {
                Output::Send(m) => deliver(m, &connection),
                Output::Run(job) => run_job(job, &connection),
            }
        }
        if server.exited() {
            return;
        }
    }
}

fn run_job(job: Job, connection: &Connection) {
    let events = connection.events.clone();
    let spawned = std::thread::Builder::new()
        .name("iamlint-lsp-job".to_string())
        .spawn(move || {
            let _ = events.send(Event::Done(job.run()));
        });
    if let Err(e) = spawned {
        // Without a thread the job's result never arrives; the document is analysed again on
        // its next change.
        eprintln!("iamlint lsp: cannot start a thread for a job: {e}");
    }
}
