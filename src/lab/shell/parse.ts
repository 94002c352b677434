/**
 * Parses the small part of POSIX sh that tools send over SSH: words with quotes and escapes,
 * $VAR / ${VAR} / $?, `;` `&&` `||` `|` `&`, `!`, and the redirections `>` `>>` `<` `2>`
 * `&>` `2>&1`. Command substitution, globbing and control flow are not shell features a
 * remote-management tool should rely on, so they are not recognised.
 */
export type WordPart = { lit: string } | { variable: string };
export type Word = WordPart[];

export interface Redirect {
  /** 1 stdout, 2 stderr, 0 stdin, 'both' for `&>`. */
  fd: 0 | 1 | 2 | 'both';
  op: '>' | '>>' | '<' | 'dup';
  /** File name for > >> <; descriptor for dup (2>&1). */
  target: Word | 1 | 2;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  negate: boolean;
  commands: SimpleCommand[];
}

export interface AndOrList {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export type Script = AndOrList[];

export class ShellSyntaxError extends Error {
  constructor(readonly token: string | undefined) {
    super(token === undefined ? 'syntax error: unexpected end of file' : `syntax error near unexpected token \`${token}'`);
  }
}

type Token =
  | { type: 'word'; word: Word }
  | { type: 'op'; op: ';' | '&&' | '||' | '|' | '&' }
  | { type: 'redirect'; fd: Redirect['fd']; op: '>' | '>>' | '<' | 'dup'; dupTo?: 1 | 2; text: string };

export function parseScript(source: string): Script {
  return new Parser(tokenize(source)).script();
}

/** Expands a word with the given variables ($? included), as bash would without word splitting. */
export function expandWord(word: Word, variables: Readonly<Record<string, string>>): string {
  return word.map((part) => ('lit' in part ? part.lit : variables[part.variable] ?? '')).join('');
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let word: Word | undefined;
  const pushLit = (text: string): void => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && 'lit' in last) last.lit += text;
    else word.push({ lit: text });
  };
  const endWord = (): void => {
    if (word !== undefined) tokens.push({ type: 'word', word });
    word = undefined;
  };
  const readVariable = (): void => {
    // Called with source[i] === '$'.
    const next = source[i + 1];
    if (next === '?' || next === '$' || next === '#') {
      (word ??= []).push({ variable: next });
      i += 2;
      return;
    }
    if (next === '{') {
      const close = source.indexOf('}', i + 2);
      if (close === -1) throw new ShellSyntaxError(undefined);
      (word ??= []).push({ variable: source.slice(i + 2, close) });
      i = close + 1;
      return;
    }
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i + 1));
    if (!match) {
      pushLit('$');
      i += 1;
      return;
    }
    (word ??= []).push({ variable: match[0] });
    i += 1 + match[0].length;
  };

  while (i < source.length) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else if (c === '\n') {
      endWord();
      tokens.push({ type: 'op', op: ';' });
      i++;
    } else if (c === '#' && word === undefined) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === "'") {
      const close = source.indexOf("'", i + 1);
      if (close === -1) throw new ShellSyntaxError(undefined);
      pushLit(source.slice(i + 1, close));
      i = close + 1;
    } else if (c === '"') {
      word ??= [];
      pushLit('');
      i++;
      for (;;) {
        if (i >= source.length) throw new ShellSyntaxError(undefined);
        const d = source[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < source.length && '"\\$`\n'.includes(source[i + 1] as string)) {
          pushLit(source[i + 1] as string);
          i += 2;
        } else if (d === '$') {
          readVariable();
        } else {
          pushLit(d);
          i++;
        }
      }
    } else if (c === '\\') {
      if (i + 1 < source.length && source[i + 1] !== '\n') pushLit(source[i + 1] as string);
      i += 2;
    } else if (c === '$') {
      readVariable();
    } else if (c === ';') {
      endWord();
      tokens.push({ type: 'op', op: ';' });
      i++;
    } else if (c === '&' || c === '|') {
      if (c === '&' && source[i + 1] === '>') {
        endWord();
        const append = source[i + 2] === '>';
        tokens.push({ type: 'redirect', fd: 'both', op: append ? '>>' : '>', text: append ? '&>>' : '&>' });
        i += append ? 3 : 2;
        continue;
      }
      endWord();
      if (source[i + 1] === c) {
        tokens.push({ type: 'op', op: c === '&' ? '&&' : '||' });
        i += 2;
      } else {
        tokens.push({ type: 'op', op: c });
        i++;
      }
    } else if (c === '>' || c === '<') {
      // A word made only of one digit right before the operator is its descriptor (2>).
      let fd: Redirect['fd'] = c === '<' ? 0 : 1;
      if (word !== undefined && word.length === 1) {
        const only = word[0];
        if (only && 'lit' in only && /^[012]$/.test(only.lit)) {
          fd = Number(only.lit) as 0 | 1 | 2;
          word = undefined;
        }
      }
      endWord();
      if (c === '<') {
        tokens.push({ type: 'redirect', fd, op: '<', text: '<' });
        i++;
      } else if (source[i + 1] === '>') {
        tokens.push({ type: 'redirect', fd, op: '>>', text: '>>' });
        i += 2;
      } else if (source[i + 1] === '&' && (source[i + 2] === '1' || source[i + 2] === '2')) {
        tokens.push({ type: 'redirect', fd, op: 'dup', dupTo: Number(source[i + 2]) as 1 | 2, text: `>&${source[i + 2]}` });
        i += 3;
      } else {
        tokens.push({ type: 'redirect', fd, op: '>', text: '>' });
        i++;
      }
    } else {
      pushLit(c);
      i++;
    }
  }
  endWord();
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  script(): Script {
    const lists: AndOrList[] = [];
    while (this.pos < this.tokens.length) {
      const token = this.peek();
      if (token?.type === 'op' && token.op === ';') {
        // Empty statements (`;;` aside) are fine only between statements.
        if (lists.length === 0) throw new ShellSyntaxError(';');
        this.pos++;
        continue;
      }
      lists.push(this.andOr());
      const after = this.peek();
      if (after?.type === 'op' && (after.op === ';' || after.op === '&')) this.pos++;
    }
    return lists;
  }

  private andOr(): AndOrList {
    const first = this.pipeline();
    const rest: AndOrList['rest'] = [];
    for (;;) {
      const token = this.peek();
      if (token?.type !== 'op' || (token.op !== '&&' && token.op !== '||')) break;
      this.pos++;
      rest.push({ op: token.op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let negate = false;
    const bang = this.peek();
    if (bang?.type === 'word' && bang.word.length === 1 && 'lit' in (bang.word[0] as WordPart) && (bang.word[0] as { lit: string }).lit === '!') {
      negate = true;
      this.pos++;
    }
    const commands = [this.simple()];
    for (;;) {
      const token = this.peek();
      if (token?.type !== 'op' || token.op !== '|') break;
      this.pos++;
      commands.push(this.simple());
    }
    return { negate, commands };
  }

  private simple(): SimpleCommand {
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const token = this.peek();
      if (token === undefined || token.type === 'op') break;
      this.pos++;
      if (token.type === 'word') {
        words.push(token.word);
        continue;
      }
      if (token.op === 'dup') {
        redirects.push({ fd: token.fd, op: 'dup', target: token.dupTo ?? 1 });
        continue;
      }
      const target = this.peek();
      if (target?.type !== 'word') throw new ShellSyntaxError(target === undefined ? 'newline' : tokenText(target));
      this.pos++;
      redirects.push({ fd: token.fd, op: token.op, target: target.word });
    }
    if (words.length === 0 && redirects.length === 0) {
      const token = this.peek();
      throw new ShellSyntaxError(token === undefined ? undefined : tokenText(token));
    }
    return { words, redirects };
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
}

function tokenText(token: Token): string {
  if (token.type === 'op') return token.op;
  if (token.type === 'redirect') return token.text;
  return token.word.map((p) => ('lit' in p ? p.lit : `$${p.variable}`)).join('');
}
