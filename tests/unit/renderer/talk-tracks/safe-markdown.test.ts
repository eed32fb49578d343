import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SafeMarkdown } from '../../../../renderer/src/talk-tracks/safe-markdown';
import { safeLinkUrl } from '../../../../renderer/src/talk-tracks/safe-url';

const render = (source: string) => renderToStaticMarkup(createElement(SafeMarkdown, { source }));

/** Injection attempts a talk track body might carry. */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.test/x.js></SCRIPT>',
  'Hi <img src=x onerror=alert(1)> there',
  '<img src="javascript:alert(1)">',
  '![pic](javascript:alert(1))',
  '![pic](https://evil.test/track.png)',
  '![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1) )',
  '[click](java\tscript:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))',
  '[click](javascript&colon;alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[click](file:///etc/passwd)',
  '<javascript:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '[ref][x]\n\n[x]: data:text/html,hi "title"',
  '<a href="javascript:alert(1)">html link</a>',
  '<a href="https://ok.test" onclick="alert(1)">html link</a>',
  '<svg onload=alert(1)><circle r=5></circle></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html,hi">',
  '<style>body{background:url(javascript:alert(1))}</style>',
  '<div style="background:url(javascript:alert(1))">styled</div>',
  '<form action="javascript:alert(1)"><input type=submit></form>',
  '<details open ontoggle=alert(1)>x</details>',
  '<body onload=alert(1)>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '[**nested [link](javascript:alert(1))**](https://ok.test)',
  '[![img](https://evil.test/x.png)](javascript:alert(1))',
  '> quote <img src=x onerror=alert(1)>\n> - [list](javascript:alert(1))',
  '`<script>alert(1)</script>` and ```\n<script>alert(1)</script>\n```',
  '[x](<javascript:alert(1)>)',
  '[x](https://ok.test "title\\" onmouseover=\\"alert(1)")',
  '<scr<script>ipt>alert(1)</script>',
  '<!-- --><script>alert(1)</script> -->',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
];

const SAFE_TAGS = new Set(['div', 'p', 'a', 'span', 'strong', 'em', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br', 'hr']);
const SAFE_ATTRIBUTES = new Set(['href', 'target', 'rel', 'class', 'title', 'start']);

/** Every element and attribute in the rendered HTML, for checking against the allowlists. */
function elements(html: string) {
  const found: { tag: string; attrs: [string, string][] }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w:-]*)([^>]*)>/g)) {
    const attrs = [...m[2]!.matchAll(/([^\s=/]+)(?:="([^"]*)")?/g)].map((a): [string, string] => [a[1]!.toLowerCase(), a[2] ?? '']);
    found.push({ tag: m[1]!.toLowerCase(), attrs });
  }
  return found;
}

describe('SafeMarkdown against injection payloads', () => {
  it.each(PAYLOADS)('renders %j with nothing executable', (payload) => {
    const html = render(payload);
    expect(html).not.toMatch(/<\s*(script|img|svg|math|iframe|object|embed|style|form|input|body|noscript|details)\b/i);
    for (const { tag, attrs } of elements(html)) {
      expect(SAFE_TAGS.has(tag), `tag <${tag}> in ${html}`).toBe(true);
      for (const [name, value] of attrs) {
        expect(SAFE_ATTRIBUTES.has(name), `attribute ${name} in ${html}`).toBe(true);
        expect(name.startsWith('on')).toBe(false);
        if (name === 'href') expect(value, html).toMatch(/^(https?:\/\/|mailto:)/);
      }
    }
    // No attribute anywhere carries a script or data URL.
    expect(html).not.toMatch(/(href|src|action|data)="\s*(javascript|vbscript|data):/i);
  });

  it('keeps ordinary markdown: emphasis, lists, quotes, code and safe links', () => {
    const html = render('**Ask** _why_\n\n- one\n- two\n\n> quote\n\n`code`\n\n[site](https://example.com/a?b=1) and <mailto:sam@example.com>');
    expect(html).toContain('<strong>Ask</strong>');
    expect(html).toContain('<em>why</em>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer">site</a>');
    expect(html).toContain('href="mailto:sam@example.com"');
  });

  it('keeps the text of a removed link but not the link', () => {
    const html = render('[click me](javascript:alert(1))');
    expect(html).toContain('click me');
    expect(html).not.toContain('<a');
  });
});

describe('safeLinkUrl', () => {
  it('passes absolute http, https and mailto URLs only', () => {
    expect(safeLinkUrl('https://example.com/x')).toBe('https://example.com/x');
    expect(safeLinkUrl('HTTP://Example.com')).toBe('http://example.com/');
    expect(safeLinkUrl('mailto:a@b.test')).toBe('mailto:a@b.test');
    for (const bad of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'java\nscript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '/relative', '#top', '//evil.test', '']) {
      expect(safeLinkUrl(bad), bad).toBeUndefined();
    }
  });
});
