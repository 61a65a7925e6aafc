"""Renders an IAM policy (parsed JSON) into the places policies are written: plain JSON, Terraform
`jsonencode(...)`, a Terraform heredoc, a Terraform `aws_iam_policy_document`, and CloudFormation
templates in YAML (block style) and JSON.

Every rendering records where each element of the policy landed in its output: a list of
`Element(path, role, start, end, chars)` with byte offsets into the UTF-8 output. `path` names the
element in the plain policy ("Statement/0/Action/2"); `role` is "value" or "key" (the member name
of an object); `chars`, for strings, gives the byte offset of every decoded character and of the end
of the content, so a span inside a string maps to character positions whatever the escaping.

Used by tests/iac/equivalence.py; pure functions, no I/O.
"""

import json
import re


class Element:
    """`open` is the length of a container's opening bracket (1 for `{` and `[`, 0 for a YAML
    block or a Terraform block): a finding on the bracket, or an empty span where the container
    starts, is about the container as a whole."""

    __slots__ = ("path", "role", "start", "end", "chars", "open")

    def __init__(self, path, role, start, end, chars=None, open=0):
        self.path, self.role, self.start, self.end, self.chars = path, role, start, end, chars
        self.open = open


class Out:
    """Text written so far, its length in UTF-8 bytes, and the elements recorded."""

    def __init__(self):
        self.parts = []
        self.pos = 0
        self.elements = []

    def w(self, text):
        self.parts.append(text)
        self.pos += len(text.encode("utf-8"))

    def text(self):
        return "".join(self.parts)

    def string(self, value, path, role, encode_char, quote='"'):
        """Write a quoted string (`quote` may be "" for a bare or plain scalar), recording it."""
        start = self.pos
        self.w(quote)
        if value.isascii() and not encode_char.special.search(value):
            # Nothing to escape: the characters are bytes in a row (a range answers index()).
            chars = range(self.pos, self.pos + len(value) + 1)
            self.w(value)
            self.w(quote)
            if path is not None:
                self.elements.append(Element(path, role, start, self.pos, chars))
            return
        chars = []
        for i, c in enumerate(value):
            chars.append(self.pos)
            self.w(encode_char(value, i, c))
        chars.append(self.pos)
        self.w(quote)
        if path is not None:
            self.elements.append(Element(path, role, start, self.pos, chars))

    def mark(self, path, role, start, open=0):
        self.elements.append(Element(path, role, start, self.pos, open=open))


def join(path, part):
    return f"{path}/{part}" if path else str(part)


# ---- escaping, one function per dialect: encode character i of value ----

def json_char(_value, _i, c):
    return json.dumps(c, ensure_ascii=False)[1:-1]


def hcl_char(value, i, c):
    """HCL quoted string / template: JSON-like escapes plus `$${` and `%%{` for literal `${`, `%{`."""
    if c in "$%" and value[i + 1 : i + 2] == "{":
        return c + c
    if c == '"':
        return '\\"'
    if c == "\\":
        return "\\\\"
    if c == "\n":
        return "\\n"
    if c == "\r":
        return "\\r"
    if c == "\t":
        return "\\t"
    if ord(c) < 0x20:
        return "\\u%04x" % ord(c)
    return c


def heredoc_json_char(value, i, c):
    """JSON string text inside an HCL heredoc: JSON escapes, then `$${`/`%%{` (backslashes are
    literal in heredocs, so JSON's own escapes pass through unchanged)."""
    if c in "$%" and value[i + 1 : i + 2] == "{":
        return c + c
    return json_char(value, i, c)


def document_char(value, i, c):
    """Strings in `aws_iam_policy_document`: policy variables are written `&{...}`."""
    if c == "$" and value[i + 1 : i + 2] == "{":
        return "&"
    return hcl_char(value, i, c)


def yaml_double_char(_value, _i, c):
    if c == '"':
        return '\\"'
    if c == "\\":
        return "\\\\"
    if ord(c) < 0x20 or c in "\u0085\u2028\u2029":
        return "\\u%04x" % ord(c)
    return c


def identity_char(_value, _i, c):
    return c


def yaml_single_json_char(value, i, c):
    """JSON string text inside a single-quoted YAML scalar: `'` doubled."""
    return json_char(value, i, c).replace("'", "''")


def yaml_double_json_char(value, i, c):
    """JSON string text inside a double-quoted YAML scalar: its backslashes and quotes escaped."""
    return json_char(value, i, c).replace("\\", "\\\\").replace('"', '\\"')


def sub_json_char(value, i, c):
    """JSON string text in an `Fn::Sub` template (a literal block): a literal `${` is `${!`."""
    if c == "{" and i > 0 and value[i - 1] == "$":
        return "{!"
    return json_char(value, i, c)


def sub_double_json_char(value, i, c):
    """`sub_json_char` inside a double-quoted YAML scalar."""
    return yaml_double_json_char(value, i, c) if c != "{" else sub_json_char(value, i, c)


# The characters (or pairs) each dialect writes differently; strings without them are copied.
json_char.special = re.compile(r'["\\\x00-\x1f]')
hcl_char.special = re.compile(r'["\\\x00-\x1f]|[$%]\{')
heredoc_json_char.special = hcl_char.special
document_char.special = hcl_char.special
yaml_double_char.special = re.compile(r'["\\\x00-\x1f\x85\u2028\u2029]')
identity_char.special = re.compile(r"(?!)")
yaml_single_json_char.special = re.compile(r'["\\\x00-\x1f\']')
yaml_double_json_char.special = json_char.special
sub_json_char.special = re.compile(r'["\\\x00-\x1f]|\$\{')
sub_double_json_char.special = sub_json_char.special


# ---- plain JSON (exactly as the corpus files are written: 4 spaces, like JSON.stringify) ----

def write_json(out, value, path, indent, level, char=json_char, margin="", quote='"'):
    """`margin` is written after every newline (the indentation of an embedding heredoc);
    `quote` is how a JSON string's quote is written (`\\"` inside a double-quoted scalar)."""
    start = out.pos
    pad = margin + " " * (indent * (level + 1))
    end_pad = margin + " " * (indent * level)
    if isinstance(value, dict):
        if not value:
            out.w("{}")
        else:
            out.w("{")
            for n, (k, v) in enumerate(value.items()):
                out.w(("," if n else "") + "\n" + pad)
                out.string(k, join(path, k), "key", char, quote)
                out.w(": ")
                write_json(out, v, join(path, k), indent, level + 1, char, margin, quote)
            out.w("\n" + end_pad + "}")
        out.mark(path, "value", start, open=1)
    elif isinstance(value, list):
        if not value:
            out.w("[]")
        else:
            out.w("[")
            for n, v in enumerate(value):
                out.w(("," if n else "") + "\n" + pad)
                write_json(out, v, join(path, n), indent, level + 1, char, margin, quote)
            out.w("\n" + end_pad + "]")
        out.mark(path, "value", start, open=1)
    elif isinstance(value, str):
        out.string(value, path, "value", char, quote)
    else:
        out.w(json.dumps(value))
        out.mark(path, "value", start)


def plain(policy):
    out = Out()
    write_json(out, policy, "", 4, 0)
    out.w("\n")
    return out


# ---- Terraform ----

HCL_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
HCL_KEYWORDS = {"for", "in", "if", "true", "false", "null", "endfor", "endif", "else"}


def tf_label(name):
    return "p_" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


def write_hcl(out, value, path, level, colon, condition_colon):
    """HCL object/tuple syntax as written inside `jsonencode(...)`: bare keys where they are
    identifiers, `=` (or `:` when `colon`), one member per line, tuples with trailing commas.
    `condition_colon`: the members inside Condition use `:` (both separators are HCL)."""
    start = out.pos
    pad = "  " * (level + 1)
    if isinstance(value, dict):
        if not value:
            out.w("{}")
        else:
            out.w("{\n")
            for k, v in value.items():
                out.w(pad)
                bare = HCL_IDENT.match(k) and k not in HCL_KEYWORDS
                out.string(k, join(path, k), "key", hcl_char, quote="" if bare else '"')
                out.w(" : " if colon else " = ")
                inner = colon or (k == "Condition" and condition_colon)
                write_hcl(out, v, join(path, k), level + 1, inner, condition_colon)
                out.w("\n")
            out.w("  " * level + "}")
        out.mark(path, "value", start, open=1)
    elif isinstance(value, list):
        if not value:
            out.w("[]")
        else:
            out.w("[\n")
            for n, v in enumerate(value):
                out.w(pad)
                write_hcl(out, v, join(path, n), level + 1, colon, condition_colon)
                out.w(",\n")
            out.w("  " * level + "]")
        out.mark(path, "value", start, open=1)
    elif isinstance(value, str):
        out.string(value, path, "value", hcl_char)
    else:
        out.w(json.dumps(value))
        out.mark(path, "value", start)


def terraform_prelude(out, name):
    out.w('variable "owner" {\n  type    = string\n  default = "platform"\n}\n\n')


def terraform_jsonencode(policy, name, index):
    out = Out()
    terraform_prelude(out, name)
    out.w(f'resource "aws_iam_policy" "{tf_label(name)}" {{\n')
    out.w(f'  name        = "{name}"\n')
    out.w('  description = "Copy of ${var.owner}\'s managed policy"\n')
    out.w("  policy = jsonencode(")
    # Every other policy writes its Condition members with `:`.
    write_hcl(out, policy, "", 1, False, index % 2 == 1)
    out.w(")\n  tags = {\n    Owner = var.owner\n  }\n}\n")
    return out


def terraform_heredoc(policy, name, index):
    """`<<EOF` for even indexes, the indented `<<-EOF` (indentation stripped) for odd ones."""
    out = Out()
    terraform_prelude(out, name)
    indented = index % 2 == 1
    out.w(f'resource "aws_iam_policy" "{tf_label(name)}" {{\n')
    out.w(f'  name   = "{name}"\n')
    out.w("  policy = <<-EOT\n" if indented else "  policy = <<EOT\n")
    margin = "    " if indented else ""
    out.w(margin)
    write_json(out, policy, "", 2, 0, heredoc_json_char, margin)
    out.w("\n" + ("  EOT\n" if indented else "EOT\n"))
    out.w("  tags = {\n    Owner = var.owner\n  }\n}\n")
    return out


STATEMENT_KEYS = {
    "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
    "Principal", "NotPrincipal", "Condition",
}


def document_expressible(policy):
    """Why `aws_iam_policy_document` cannot say this policy, or None when it can."""
    if set(policy) - {"Version", "Id", "Statement"}:
        return "top-level member other than Version, Id, Statement"
    if not isinstance(policy.get("Version", ""), str) or not isinstance(policy.get("Id", ""), str):
        return "Version or Id is not a string"
    statements = policy.get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements
    if not isinstance(statements, list) or not statements:
        return "no Statement list"
    for s in statements:
        if not isinstance(s, dict) or set(s) - STATEMENT_KEYS:
            return "statement member the data source has no argument for"
        for k in ("Sid", "Effect"):
            if k in s and not isinstance(s[k], str):
                return f"{k} is not a string"
        for k in ("Action", "NotAction", "Resource", "NotResource"):
            if k in s and not strings(s[k]):
                return f"{k} is not a string or a list of strings"
        for k in ("Principal", "NotPrincipal"):
            if k in s:
                p = s[k]
                if p != "*" and not (isinstance(p, dict) and all(strings(v) for v in p.values())):
                    return f"{k} is not \"*\" or a map of string lists"
        if "Condition" in s:
            c = s["Condition"]
            if not isinstance(c, dict) or not all(isinstance(m, dict) for m in c.values()):
                return "Condition is not a map of maps"
            for m in c.values():
                for v in m.values():
                    if not strings(v):
                        return "condition value that is not a string (values = [...] holds strings)"
    return None


def strings(v):
    return isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))


def terraform_document(policy, name, index):
    out = Out()
    terraform_prelude(out, name)
    label = tf_label(name)
    root = out.pos
    out.w(f'data "aws_iam_policy_document" "{label}" {{\n')

    def attr_string(pad, attr, value, path):
        out.w(pad)
        start = out.pos
        out.w(attr)
        out.mark(path, "key", start)
        out.w(" = ")
        out.string(value, path, "value", document_char)
        out.w("\n")

    def attr_list(pad, attr, value, path, name_is_key=True):
        """`attr = [...]`; a plain string becomes a one-item list standing for that string.
        `name_is_key`: the argument name stands for the policy's member name (`actions` for
        Action; not `values`, whose condition key is the `variable` string)."""
        out.w(pad)
        start = out.pos
        out.w(attr)
        if name_is_key:
            out.mark(path, "key", start)
        out.w(" = [")
        list_start = out.pos - 1
        items = value if isinstance(value, list) else [value]
        for n, v in enumerate(items):
            out.w("\n" + pad + "  ")
            out.string(v, join(path, n) if isinstance(value, list) else path, "value", document_char)
            out.w(",")
        out.w("\n" + pad + "]" if items else "]")
        if isinstance(value, list):
            out.mark(path, "value", list_start)
        out.w("\n")

    if "Version" in policy:
        attr_string("  ", "version", policy["Version"], "Version")
    if "Id" in policy:
        attr_string("  ", "policy_id", policy["Id"], "Id")
    statements = policy["Statement"]
    single = isinstance(statements, dict)
    for n, s in enumerate([statements] if single else statements):
        sp = "Statement" if single else f"Statement/{n}"
        start = out.pos + 2
        out.w("  statement {\n")
        if "Sid" in s:
            attr_string("    ", "sid", s["Sid"], f"{sp}/Sid")
        if "Effect" in s:
            attr_string("    ", "effect", s["Effect"], f"{sp}/Effect")
        for key, attr in (("Action", "actions"), ("NotAction", "not_actions"),
                          ("Resource", "resources"), ("NotResource", "not_resources")):
            if key in s:
                attr_list("    ", attr, s[key], f"{sp}/{key}")
        for key, block in (("Principal", "principals"), ("NotPrincipal", "not_principals")):
            if key in s:
                p = s[key]
                entries = [("*", "*", f"{sp}/{key}")] if p == "*" else [
                    (t, ids, f"{sp}/{key}/{t}") for t, ids in p.items()]
                for t, ids, path in entries:
                    out.w(f"    {block} {{\n      type        = ")
                    out.string(t, path if p != "*" else None, "key", document_char)
                    out.w("\n")
                    attr_list("      ", "identifiers", ids if p != "*" else "*", path, False)
                    out.w("    }\n")
        for op, m in s.get("Condition", {}).items():
            for ck, values in m.items():
                cp = f"{sp}/Condition/{op}"
                block_start = out.pos + 4
                out.w("    condition {\n      test     = ")
                out.string(op, cp, "key", document_char)
                out.w("\n      variable = ")
                out.string(ck, f"{cp}/{ck}", "key", document_char)
                out.w("\n")
                attr_list("      ", "values", values, f"{cp}/{ck}", name_is_key=False)
                out.w("    }")
                out.mark(f"{cp}/{ck}", "block", block_start)
                out.w("\n")
        out.w("  }")
        out.mark(sp, "value", start)
        out.w("\n")
    out.w("}")
    # The data block stands for the whole policy.
    out.mark("", "value", root)
    out.w("\n\n")
    out.w(f'resource "aws_iam_policy" "{label}" {{\n')
    out.w(f'  name   = "{name}"\n')
    out.w(f"  policy = data.aws_iam_policy_document.{label}.json\n}}\n")
    return out


# ---- CloudFormation ----

YAML_PLAIN = re.compile(r"^[A-Za-z0-9_/.$][A-Za-z0-9_/.:*\-${}@=+,()<> ]*$")
YAML_SPECIAL = re.compile(
    r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|[-+]?[0-9][0-9_:.eE+-]*|\.inf|\.nan)$"
)


def yaml_plain_ok(s):
    """A string YAML reads back as the same string without quotes (conservative)."""
    return (
        bool(YAML_PLAIN.match(s))
        and not YAML_SPECIAL.match(s)
        and ": " not in s
        and " #" not in s
        and not s.endswith((":", " "))
        and not re.match(r"^[0-9]", s)
    )


def write_yaml_scalar(out, value, path, role):
    if isinstance(value, str):
        if yaml_plain_ok(value):
            out.string(value, path, role, identity_char, quote="")
        else:
            out.string(value, path, role, yaml_double_char)
    else:
        start = out.pos
        out.w(json.dumps(value))
        out.mark(path, role, start)


def write_yaml(out, value, path, level):
    """Block style: `key: value` members, `- item` sequences indented under their key."""
    pad = "  " * level
    if isinstance(value, dict) and value:
        start = out.pos
        for n, (k, v) in enumerate(value.items()):
            if n:
                out.w("\n" + pad)
            write_yaml_scalar(out, k, join(path, k), "key")
            write_yaml_member(out, v, join(path, k), level)
        out.mark(path, "value", start)
    elif isinstance(value, list) and value:
        start = out.pos
        for n, v in enumerate(value):
            if n:
                out.w("\n" + pad)
            out.w("- ")
            write_yaml(out, v, join(path, n), level + 1)
        out.mark(path, "value", start)
    elif isinstance(value, (dict, list)):
        start = out.pos
        out.w("{}" if isinstance(value, dict) else "[]")
        out.mark(path, "value", start)
    else:
        write_yaml_scalar(out, value, path, "value")


def write_yaml_member(out, v, path, level):
    if isinstance(v, dict) and v:
        out.w(":\n" + "  " * (level + 1))
        write_yaml(out, v, path, level + 1)
    elif isinstance(v, list) and v:
        out.w(":\n" + "  " * (level + 1))
        write_yaml(out, v, path, level + 1)
    else:
        out.w(": ")
        write_yaml(out, v, path, level + 1)


def cfn_logical_id(name):
    return "Policy" + re.sub(r"[^A-Za-z0-9]", "", name)[:200]


def cfn_yaml(policy, name, index):
    """The intrinsic functions sit outside the policy (name, description, outputs): short forms in
    even indexes, long forms in odd ones."""
    out = Out()
    lid = cfn_logical_id(name)
    out.w('AWSTemplateFormatVersion: "2010-09-09"\n')
    out.w(f"Description: Copy of the managed policy {name}\n")
    out.w("Parameters:\n  Suffix:\n    Type: String\n    Default: dev\n")
    out.w(f"Resources:\n  {lid}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n")
    if index % 2 == 0:
        out.w(f'      ManagedPolicyName: !Sub "copy-${{Suffix}}-{index}"\n')
        out.w('      Description: !Join [" ", [copy, !Ref Suffix]]\n')
    else:
        out.w("      ManagedPolicyName:\n        Fn::Sub: copy-${Suffix}-%d\n" % index)
        out.w("      Description:\n        Fn::Join:\n          - \" \"\n          - - copy\n"
              "            - Ref: Suffix\n")
    out.w("      PolicyDocument:\n        ")
    write_yaml(out, policy, "", 4)
    out.w(f"\nOutputs:\n  Arn:\n    Value: !Ref {lid}\n")
    return out


def cfn_json(policy, name, index):
    out = Out()
    lid = cfn_logical_id(name)
    out.w("{\n")
    out.w('  "AWSTemplateFormatVersion": "2010-09-09",\n')
    out.w('  "Parameters": { "Suffix": { "Type": "String", "Default": "dev" } },\n')
    out.w(f'  "Resources": {{\n    "{lid}": {{\n      "Type": "AWS::IAM::ManagedPolicy",\n')
    out.w('      "Properties": {\n')
    out.w(f'        "ManagedPolicyName": {{ "Fn::Sub": "copy-${{Suffix}}-{index}" }},\n')
    out.w('        "Description": { "Fn::Join": [" ", ["copy", { "Ref": "Suffix" }]] },\n')
    out.w('        "PolicyDocument": ')
    write_json(out, policy, "", 2, 0, json_char, "        ")
    out.w(f'\n      }}\n    }}\n  }},\n  "Outputs": {{ "Arn": {{ "Value": {{ "Ref": "{lid}" }} }} }}\n}}\n')
    return out


def cfn_yaml_text_prelude(out, name, index):
    lid = cfn_logical_id(name)
    out.w('AWSTemplateFormatVersion: "2010-09-09"\n')
    out.w(f"Resources:\n  {lid}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n")
    out.w(f"      ManagedPolicyName: copy-{index}\n")
    return lid


def cfn_yaml_text(policy, name, index, opening, char, margin, quote, closing):
    """The policy as JSON text written after `PolicyDocument:` (`opening`, then the JSON with
    `char` escaping and JSON quotes written `quote`, then `closing`)."""
    out = Out()
    cfn_yaml_text_prelude(out, name, index)
    out.w("      PolicyDocument:" + opening)
    write_json(out, policy, "", 2, 0, char, margin, quote)
    out.w(closing + "\n")
    return out


def cfn_yaml_string(policy, name, index):
    """The policy as JSON text in a quoted YAML scalar over several lines (folded into spaces):
    single quotes in even indexes, double quotes in odd ones."""
    if index % 2 == 0:
        return cfn_yaml_text(policy, name, index, " '", yaml_single_json_char, "        ", '"', "'")
    return cfn_yaml_text(policy, name, index, ' "', yaml_double_json_char, "        ", '\\"', '"')


def cfn_sub(policy, name, index):
    """The policy as the JSON text of `Fn::Sub` (a literal `${` written `${!`): `!Sub |` (a
    literal block) in even indexes, `Fn::Sub:` with a double-quoted scalar in odd ones."""
    if index % 2 == 0:
        return cfn_yaml_text(policy, name, index, " !Sub |\n        ", sub_json_char,
                             "        ", '"', "")
    return cfn_yaml_text(policy, name, index, '\n        Fn::Sub: "', sub_double_json_char,
                         "          ", '\\"', '"')


FORMS = {
    "terraform-jsonencode": (terraform_jsonencode, ".tf"),
    "terraform-heredoc": (terraform_heredoc, ".tf"),
    "terraform-document": (terraform_document, ".tf"),
    "cloudformation-yaml": (cfn_yaml, ".yaml"),
    "cloudformation-json": (cfn_json, ".json"),
    "cloudformation-yaml-string": (cfn_yaml_string, ".yaml"),
    "cloudformation-sub": (cfn_sub, ".yaml"),
}
