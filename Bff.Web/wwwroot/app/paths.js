// The BFF's management endpoints, where the server put them. The page is served with them in
// <meta name="bff-paths"> (rendered from the BFF's options), so moving an endpoint is one setting
// on the server and never an edit here.
function read() {
  const meta = document.querySelector('meta[name="bff-paths"]');
  const paths = meta && meta.content ? JSON.parse(meta.content) : null;
  if (!paths || typeof paths.user !== 'string') {
    throw new Error('The page was not served by the BFF (no bff-paths): open /app.');
  }

  return Object.freeze(paths);
}

export const paths = read();
