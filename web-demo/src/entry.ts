// The page's entry: start the checker and paint the first findings (boot.ts), then load the
// editor and the rest of the page. The editor's JavaScript is most of the page; evaluating it
// while the first answer arrives would hold that answer back, so it waits (see editorGate).
import { editorGate } from "./boot";

void editorGate.then(() => import("./main"));
