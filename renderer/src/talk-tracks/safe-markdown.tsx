import Markdown, { type Components } from 'react-markdown';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import { safeLinkUrl } from './safe-url';

/**
 * What a talk track body may contain after sanitising: GitHub's defaults (rehype-sanitize) minus
 * images, with links only to http, https and mailto. Raw HTML never gets this far (`skipHtml`);
 * this is the second fence, for anything markdown itself could produce.
 */
const SCHEMA: SanitizeSchema = {
  ...defaultSchema,
  tagNames: (defaultSchema.tagNames ?? []).filter((tag) => tag !== 'img' && tag !== 'picture' && tag !== 'source'),
  protocols: { href: ['http', 'https', 'mailto'] },
  attributes: { ...defaultSchema.attributes, img: [] },
};

/** Links open outside the app (the shells only let http/https/mailto out), never in the window. */
const COMPONENTS: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
};

/**
 * A markdown body rendered safely: no raw HTML, no images, sanitised elements and attributes
 * (so no event handlers or styles), and links only to http/https/mailto; others lose their link.
 */
export function SafeMarkdown({ source, className }: { source: string; className?: string }) {
  return (
    <div className={className ?? 'markdown'}>
      <Markdown
        skipHtml
        disallowedElements={['img']}
        unwrapDisallowed={false}
        rehypePlugins={[[rehypeSanitize, SCHEMA]]}
        urlTransform={(url) => safeLinkUrl(url)}
        components={COMPONENTS}
      >
        {source}
      </Markdown>
    </div>
  );
}
