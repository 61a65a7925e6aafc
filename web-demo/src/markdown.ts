// A small Markdown renderer for the core's hovers and rule explanations: paragraphs, "- " lists,
// headings, fenced code, `code`, **bold**, *emphasis* and [links](url). It builds DOM nodes
// (never innerHTML), so nothing in a policy or a message can inject markup.

export function renderMarkdown(markdown: string): HTMLElement {
  const root = document.createElement("div");
  root.className = "md";
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === "") {
      i++;
    } else if (line.startsWith("```")) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i].startsWith("```")) body.push(lines[i++]);
      i++;
      const pre = document.createElement("pre");
      const code = document.createElement("code");
      code.textContent = body.join("\n");
      pre.append(code);
      root.append(pre);
    } else if (/^#{1,6} /.test(line)) {
      const h = document.createElement("p");
      h.className = "md-heading";
      inline(h, line.replace(/^#+ /, ""));
      root.append(h);
      i++;
    } else if (/^\s*[-*] /.test(line)) {
      const ul = document.createElement("ul");
      while (i < lines.length && /^\s*[-*] /.test(lines[i])) {
        const li = document.createElement("li");
        inline(li, lines[i].replace(/^\s*[-*] /, ""));
        ul.append(li);
        i++;
      }
      root.append(ul);
    } else {
      const para: string[] = [];
      while (
        i < lines.length &&
        lines[i].trim() !== "" &&
        !lines[i].startsWith("```") &&
        !/^\s*[-*] /.test(lines[i])
      ) {
        para.push(lines[i++]);
      }
      const p = document.createElement("p");
      inline(p, para.join(" "));
      root.append(p);
    }
  }
  return root;
}

const TOKEN = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|(?<![\w$])_[^_\s][^_]*_(?!\w))|(\[[^\]]+\]\([^)\s]+\))/;

/** Inline Markdown only (no paragraph), for one-line texts such as rule summaries. */
export function renderInline(parent: HTMLElement, text: string) {
  inline(parent, text);
}

function inline(parent: HTMLElement, text: string) {
  let rest = text;
  while (rest.length > 0) {
    const m = TOKEN.exec(rest);
    if (!m) {
      parent.append(rest);
      return;
    }
    if (m.index > 0) parent.append(rest.slice(0, m.index));
    const token = m[0];
    if (m[1]) {
      const code = document.createElement("code");
      code.textContent = token.slice(1, -1);
      parent.append(code);
    } else if (m[2]) {
      const b = document.createElement("strong");
      inline(b, token.slice(2, -2));
      parent.append(b);
    } else if (m[3]) {
      const em = document.createElement("em");
      inline(em, token.slice(1, -1));
      parent.append(em);
    } else {
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token);
      const href = link?.[2] ?? "";
      if (link && /^https:\/\//.test(href)) {
        const a = document.createElement("a");
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.textContent = link[1];
        parent.append(a);
      } else {
        parent.append(link?.[1] ?? token);
      }
    }
    rest = rest.slice(m.index + token.length);
  }
}
