import {
  ApiError, getUser, listNotes, createNote, updateNote, deleteNote, callRemote, getSecurityDetails, listSessions, endSession, endOtherSessions,
} from './api.js';
import { watchSession, describeEnd } from './events.js';
import { paths } from './paths.js';

const $ = (id) => document.getElementById(id);

function claim(claims, type) {
  const found = claims.find((c) => c.type === type);
  return found ? found.value : null;
}

function showStatus(message) {
  const status = $('status');
  status.textContent = message || '';
  status.hidden = !message;
}

function showSignedOut(message) {
  stopWatching();
  $('signed-in').hidden = true;
  $('logout-link').hidden = true;
  $('login-link').hidden = false;
  $('session-state').textContent = 'Not signed in.';
  showStatus(message);
}

// One place decides what an API failure means for the page: 401 naming a required level = the
// action needs a stronger sign-in (offer the step-up, then run `action` again), any other 401 = the
// session is gone (sign in again), 503 = the identity provider is down (the session is kept; try again).
function handleError(error, action) {
  if (error instanceof ApiError && error.status === 401 && error.problem && error.problem['bff:required_acr']) {
    offerStepUp(error.problem, action);
  } else if (error instanceof ApiError && error.status === 401) {
    showSignedOut('Your session has ended. Please sign in again.');
  } else if (error instanceof ApiError && error.status === 503) {
    showStatus('The identity provider is unavailable right now. Your session is kept; please try again shortly.');
  } else {
    showStatus(error.message || 'Something went wrong.');
  }
}

function renderUser(claims) {
  const name = claim(claims, 'preferred_username') || claim(claims, 'name') || claim(claims, 'sub');
  $('session-state').textContent = `Signed in as ${name}`;
  $('user-name').textContent = name;
  const roles = claims.filter((c) => c.type === 'role').map((c) => c.value);
  $('user-roles').textContent = roles.length ? roles.join(', ') : '(none)';
  const expires = claim(claims, 'bff:session_expires_in');
  $('session-expires').textContent = expires ? `${Math.round(Number(expires) / 60)} min` : 'unknown';
  const logoutUrl = claim(claims, 'bff:logout_url');
  const logout = $('logout-link');
  // Only a same-origin path is followed: the URL comes from our own BFF, but never trust blindly.
  logout.href = logoutUrl && logoutUrl.startsWith('/') && !logoutUrl.startsWith('//') ? logoutUrl : paths.logout;
  logout.hidden = false;
  $('login-link').hidden = true;
  $('signed-in').hidden = false;
}

function resetForm() {
  $('note-id').value = '';
  $('note-title').value = '';
  $('note-text').value = '';
  $('note-save').textContent = 'Add note';
  $('note-cancel').hidden = true;
  $('note-error').hidden = true;
}

function renderNotes(notes) {
  const list = $('notes-list');
  list.replaceChildren();
  $('notes-empty').hidden = notes.length > 0;
  for (const note of notes) {
    const item = document.createElement('li');
    item.dataset.noteId = note.id;
    const title = document.createElement('strong');
    title.className = 'note-title';
    title.textContent = note.title;
    const text = document.createElement('p');
    text.className = 'note-text';
    text.textContent = note.text;
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'note-edit';
    edit.textContent = 'Edit';
    edit.addEventListener('click', () => {
      $('note-id').value = note.id;
      $('note-title').value = note.title;
      $('note-text').value = note.text;
      $('note-save').textContent = 'Save changes';
      $('note-cancel').hidden = false;
      $('note-title').focus();
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'note-delete';
    remove.textContent = 'Delete';
    remove.addEventListener('click', async () => {
      try {
        await deleteNote(note.id);
        await refreshNotes();
      } catch (error) {
        handleError(error);
      }
    });
    item.append(title, text, edit, remove);
    list.append(item);
  }
}

async function refreshNotes() {
  renderNotes(await listNotes());
}

async function saveNote(event) {
  event.preventDefault();
  const id = $('note-id').value;
  const note = { title: $('note-title').value, text: $('note-text').value };
  try {
    if (id) {
      await updateNote(id, note);
    } else {
      await createNote(note);
    }
    resetForm();
    showStatus('');
    await refreshNotes();
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      const errors = (error.problem && error.problem.errors) || {};
      const messages = Object.values(errors).flat();
      $('note-error').textContent = messages.length ? messages.join(' ') : error.message;
      $('note-error').hidden = false;
    } else {
      handleError(error);
    }
  }
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? 'unknown' : date.toLocaleString();
}

function renderSessions(sessions) {
  const list = $('sessions-list');
  list.replaceChildren();
  for (const session of sessions) {
    const item = document.createElement('li');
    item.dataset.sessionId = session.id;
    item.className = session.current ? 'session current' : 'session';
    const browser = document.createElement('strong');
    browser.className = 'session-browser';
    browser.textContent = session.browser + (session.current ? ' (this browser)' : '');
    const details = document.createElement('span');
    details.className = 'session-details';
    details.textContent = ` signed in ${when(session.created)}, last seen ${when(session.lastSeen)}${session.ipAddress ? `, from ${session.ipAddress}` : ''}`;
    item.append(browser, details);
    if (!session.current) {
      const end = document.createElement('button');
      end.type = 'button';
      end.className = 'session-end';
      end.textContent = 'Sign out';
      end.setAttribute('aria-label', `Sign out the session of ${session.browser}, signed in ${when(session.created)}`);
      end.addEventListener('click', async () => {
        try {
          await endSession(session.id);
          await refreshSessions();
        } catch (error) {
          handleError(error);
        }
      });
      item.append(end);
    }

    list.append(item);
  }

  $('sessions-end-others').hidden = !sessions.some((session) => !session.current);
}

async function refreshSessions() {
  renderSessions(await listSessions());
}

async function endOthers() {
  try {
    const result = await endOtherSessions();
    showStatus(`Signed out ${result.ended} other session${result.ended === 1 ? '' : 's'}.`);
    await refreshSessions();
  } catch (error) {
    handleError(error);
  }
}

async function callRemoteApi() {
  const result = $('remote-result');
  result.textContent = 'Calling...';
  try {
    const answer = await callRemote();
    result.textContent = JSON.stringify(answer, null, 2);
    showStatus('');
  } catch (error) {
    result.textContent = '';
    handleError(error);
  }
}

async function showSecurityDetails() {
  const result = $('security-result');
  result.textContent = 'Loading...';
  try {
    result.textContent = JSON.stringify(await getSecurityDetails(), null, 2);
    $('step-up').hidden = true;
  } catch (error) {
    result.textContent = '';
    handleError(error, 'security');
  }
}

// Step-up: the BFF's 401 names the level (bff:required_acr) and its login URL. The person is sent
// there with the SPA as the return URL, and the action waits in sessionStorage to run again on the
// way back. It runs once: a step-up that did not reach the level only offers the link again.
const STEP_UP_ACTIONS = { security: showSecurityDetails };
const PENDING_STEP_UP = 'bff.step-up-action';

function offerStepUp(problem, action) {
  const url = new URL(problem['bff:login_url'] || paths.login, window.location.origin);
  if (url.origin !== window.location.origin) {
    showStatus('This needs a stronger sign-in.');
    return;
  }

  url.searchParams.set('acr_values', problem['bff:required_acr']);
  url.searchParams.set('returnUrl', window.location.pathname);
  const link = $('step-up-link');
  link.href = url.pathname + url.search;
  link.onclick = () => {
    if (action) {
      window.sessionStorage.setItem(PENDING_STEP_UP, action);
    }
  };
  $('step-up').hidden = false;
}

function resumeStepUp() {
  const action = window.sessionStorage.getItem(PENDING_STEP_UP);
  window.sessionStorage.removeItem(PENDING_STEP_UP);
  if (action && STEP_UP_ACTIONS[action]) {
    STEP_UP_ACTIONS[action]();
  }
}

let stopWatching = () => {};

// Every tab hears at once when the session ends elsewhere (another tab's logout, Keycloak, an
// administrator, expiry) and shows why, with the sign-in link.
function watch() {
  stopWatching = watchSession({
    session: (data) => {
      // Marks the stream as live (the E2E journeys wait for it before ending the session elsewhere).
      document.body.dataset.sessionWatch = 'open';
      $('session-expires').textContent = `${Math.round(data.secondsLeft / 60)} min`;
      if ($('status').dataset.kind === 'expiring') {
        $('status').dataset.kind = '';
        showStatus('');
      }
    },
    expiring: (data) => {
      showStatus(`Your session ends in about ${Math.max(1, Math.round(data.secondsLeft / 60))} min unless you keep working.`);
      $('status').dataset.kind = 'expiring';
    },
    ended: (reason) => {
      document.body.dataset.sessionEnded = reason;
      showSignedOut(`${describeEnd(reason)} Please sign in again.`);
    },
  });
}

// Silent sign-in: a signed-out start asks Keycloak once, without a page, whether its SSO session
// is still alive (the login endpoint with prompt=none). The BFF always sends the browser back here, signed in or
// with ?bff_login=<answer>. The flag in sessionStorage makes it once per tab, so nothing loops.
const SILENT_TRIED = 'bff.silent-sign-in-tried';

function takeSilentSignInResult() {
  const params = new URLSearchParams(window.location.search);
  const result = params.get('bff_login');
  if (result !== null) {
    params.delete('bff_login');
    const query = params.toString();
    window.history.replaceState(null, '', window.location.pathname + (query ? `?${query}` : '') + window.location.hash);
  }

  return result;
}

function trySilentSignIn(result) {
  if (result !== null || window.sessionStorage.getItem(SILENT_TRIED)) {
    return false;
  }

  window.sessionStorage.setItem(SILENT_TRIED, '1');
  const here = window.location.pathname + window.location.search + window.location.hash;
  window.location.assign(`${paths.login}?prompt=none&returnUrl=${encodeURIComponent(here)}`);
  return true;
}

// Account actions (the account endpoint, /bff/account/{action} by default) come back here with ?bff_account=<action>&status=<status>.
const accountActions = {
  UPDATE_PASSWORD: 'Changing your password',
  UPDATE_PROFILE: 'Updating your profile',
  UPDATE_EMAIL: 'Changing your e-mail address',
  CONFIGURE_TOTP: 'Setting up your authenticator app',
  delete_account: 'Deleting your account',
};

function takeAccountActionResult() {
  const params = new URLSearchParams(window.location.search);
  const action = params.get('bff_account');
  if (action === null) {
    return;
  }

  const status = params.get('status');
  params.delete('bff_account');
  params.delete('status');
  const query = params.toString();
  window.history.replaceState(null, '', window.location.pathname + (query ? `?${query}` : '') + window.location.hash);
  const what = accountActions[action] || 'The account action';
  const outcome = status === 'success' ? 'done.' : status === 'cancelled' ? 'cancelled, nothing changed.' : 'it did not work; nothing changed.';
  showStatus(`${what}: ${outcome}`);
  $('status').dataset.accountAction = `${action}:${status}`;
}

// The page's links to the BFF point wherever the server put its endpoints.
function linkEndpoints() {
  $('login-link').href = `${paths.login}?returnUrl=%2Fapp`;
  $('logout-link').href = paths.logout;
  $('change-password').href = `${paths.account}/UPDATE_PASSWORD?returnUrl=%2Fapp`;
  $('step-up-link').href = paths.login;
}

async function start() {
  linkEndpoints();
  const silentResult = takeSilentSignInResult();
  takeAccountActionResult();
  $('note-form').addEventListener('submit', saveNote);
  $('note-cancel').addEventListener('click', resetForm);
  $('remote-call').addEventListener('click', callRemoteApi);
  $('security-call').addEventListener('click', showSecurityDetails);
  $('sessions-end-others').addEventListener('click', endOthers);
  try {
    renderUser(await getUser());
    window.sessionStorage.removeItem(SILENT_TRIED);
    watch();
    resumeStepUp();
    await Promise.all([refreshNotes(), refreshSessions()]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      if (trySilentSignIn(silentResult)) {
        return;
      }

      $('session-state').dataset.silentSignIn = silentResult || 'not-tried';
      showSignedOut('');
    } else {
      handleError(error);
    }
  }
}

start();
