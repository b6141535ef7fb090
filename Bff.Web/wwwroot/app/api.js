// The SPA's only way to talk to the BFF: same-origin fetch with the session cookie and the
// anti-forgery header. The SPA never sees or stores a token; the BFF holds them.
import { paths } from './paths.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'X-CSRF': '1', Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'error' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  const response = await fetch(path, init);
  if (response.status === 204) {
    return null;
  }

  const isJson = (response.headers.get('Content-Type') || '').includes('json');
  const payload = isJson ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(response.status, payload);
  }

  return payload;
}

export const getUser = () => api(paths.user);
export const listNotes = () => api('/api/notes');
export const createNote = (note) => api('/api/notes', { method: 'POST', body: note });
export const updateNote = (id, note) => api(`/api/notes/${encodeURIComponent(id)}`, { method: 'PUT', body: note });
export const deleteNote = (id) => api(`/api/notes/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const callRemote = () => api('/api/remote/whoami');
export const getSecurityDetails = () => api('/api/security');
export const listSessions = () => api(paths.sessions);
export const endSession = (id) => api(`${paths.sessions}/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const endOtherSessions = () => api(`${paths.sessions}/end-others`, { method: 'POST' });
