;;; eglot-test.el --- Emacs 28 + eglot 1.9 end-to-end check of `iamlint lsp'  -*- lexical-binding: t -*-
;; Opens a policy, waits for the server's diagnostics (Flymake), asks for a hover and a
;; quick-fix, applies it, and writes what it saw to $IAMLINT_OUT. Run by tests/emacs/run.sh.

(dolist (dir (directory-files "/usr/share/emacs/site-lisp/elpa" t "^[a-z]"))
  (add-to-list 'load-path dir))
(require 'eglot)
(require 'flymake)

(defvar iamlint-lines nil)
(defun iamlint-log (fmt &rest args)
  (push (apply #'format fmt args) iamlint-lines))
(defun iamlint-finish (code)
  (with-temp-file (getenv "IAMLINT_OUT")
    (insert (mapconcat #'identity (reverse iamlint-lines) "\n") "\n"))
  (kill-emacs code))
(defun iamlint-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall pred)))

(condition-case err
    (let* ((bin (getenv "IAMLINT_BIN"))
           (policy (getenv "IAMLINT_POLICY")))
      (setq eglot-server-programs `((js-mode . (,bin "lsp"))))
      (find-file policy)
      (js-mode)
      (apply #'eglot (eglot--guess-contact))
      (unless (iamlint-wait (lambda () (eglot-current-server)) 15)
        (iamlint-log "FAIL no server") (iamlint-finish 1))
      (unless (iamlint-wait
               (lambda ()
                 (seq-find (lambda (d) (string-match-p "INVALID_EFFECT\\|\"allow\"" (flymake-diagnostic-text d)))
                           (flymake-diagnostics)))
               15)
        (iamlint-log "FAIL no diagnostics") (iamlint-finish 1))
      (dolist (d (flymake-diagnostics))
        (iamlint-log "diagnostic %d %s %s"
                     (line-number-at-pos (flymake-diagnostic-beg d))
                     (flymake-diagnostic-type d)
                     (flymake-diagnostic-text d)))
      (let ((server (eglot-current-server)))
        (goto-char (point-min))
        (search-forward "s3:GetObject")
        (backward-char 4)
        (let* ((hover (jsonrpc-request server :textDocument/hover
                                       (eglot--TextDocumentPositionParams)))
               (contents (plist-get hover :contents)))
          (iamlint-log "hover %s" (car (split-string (plist-get contents :value) "\n"))))
        (goto-char (point-min))
        (search-forward "\"allow\"")
        (backward-char 3)
        (let* ((actions (jsonrpc-request
                         server :textDocument/codeAction
                         (list :textDocument (eglot--TextDocumentIdentifier)
                               :range (list :start (eglot--pos-to-lsp-position (point))
                                            :end (eglot--pos-to-lsp-position (point)))
                               :context (list :diagnostics [] :only ["quickfix"]))))
               (first (aref actions 0)))
          (iamlint-log "action %s [%s]" (plist-get first :title) (plist-get first :kind))
          (eglot--apply-workspace-edit (plist-get first :edit))
          (iamlint-log "after quickfix: %s"
                       (string-trim (buffer-substring (line-beginning-position) (line-end-position))))))
      (iamlint-log "OK")
      (iamlint-finish 0))
  (error (iamlint-log "FAIL %S" err) (iamlint-finish 1)))
