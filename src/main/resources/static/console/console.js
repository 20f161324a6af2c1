// riskgate's console (issue 18): plain DOM, no framework and nothing fetched from the internet. Every call to the API
// carries the signed-in credential, so the console can do exactly what that credential may. Text from the API is
// only ever put in the page as text (textContent), never as HTML.
'use strict';

const KEY = 'riskgate.credential';

function credential() {
  return sessionStorage.getItem(KEY);
}

/** An element: el('td', {class: 'num'}, 'text', child, ...). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v !== undefined && v !== null) {
      e.setAttribute(k, v);
    }
  });
  children.flat().forEach(c => e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return e;
}

class Unauthorized extends Error {}

async function api(path) {
  const r = await fetch(path, {headers: {'Authorization': 'Bearer ' + credential(), 'Accept': 'application/json'}});
  if (r.status === 401) {
    throw new Unauthorized('the credential was not accepted');
  }
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    const detail = body && (body.detail || body.title) || ('HTTP ' + r.status);
    const errors = body && body.errors ? ': ' + body.errors.map(e => e.field + ' ' + e.message).join('; ') : '';
    throw new Error(detail + errors);
  }
  return body;
}

function show(...nodes) {
  const view = document.getElementById('view');
  view.replaceChildren(...nodes);
}

function signedIn(yes) {
  document.getElementById('sign-in').hidden = yes;
  document.getElementById('sign-out').hidden = !yes;
  document.getElementById('view').hidden = !yes;
}

function quantity(d) {
  const base = (d.symbol || '').replace(/(USDT|USDC|BUSD|USD|EUR)$/, '');
  return d.quantity + (base ? ' ' + base : '');
}

function money(x) {
  return x == null ? '' : '$' + Number(x).toLocaleString('en-US', {maximumFractionDigits: 2});
}

// ---- overview: every account's trading state, live

let stream = null;

function pct(x) {
  return x == null ? '' : (x * 100).toFixed(2) + '%';
}

function accountRow(a) {
  const dd = a.drawdown || {};
  return el('tr', {id: 'acct-' + a.account},
    el('td', {}, el('a', {href: '#/decisions?account=' + encodeURIComponent(a.account)}, a.account)),
    el('td', {class: 'state ' + a.state}, a.state),
    el('td', {class: 'num'}, money(a.equity)),
    el('td', {class: 'num'}, pct(dd.fromPeak)),
    el('td', {class: 'num'}, pct(dd.daily)),
    el('td', {}, (a.breakers || []).map(b => b.code).join(', ')),
    el('td', {class: 'num'}, String(a.openInstructions)));
}

async function overview() {
  const accounts = await api('/api/v1/accounts');
  const body = el('tbody', {id: 'accounts'}, accounts.map(accountRow));
  const live = el('p', {id: 'live'}, 'Live: connecting to the alert stream…');
  show(el('h2', {}, 'Overview'), live, accounts.length === 0 ? el('p', {}, 'No account yet.') : el('table', {},
    el('thead', {}, el('tr', {}, ['Account', 'State', 'Equity', 'Drawdown from peak', 'Daily loss', 'Breakers',
      'Open instructions'].map(h => el('th', {scope: 'col'}, h)))), body));
  // the alert stream (Server-Sent Events) read with fetch, which can send the credential: an account an alert
  // names is read again and its row replaced, without a reload
  const abort = new AbortController();
  stream = abort;
  const r = await fetch('/api/v1/events', {headers: {'Authorization': 'Bearer ' + credential()},
    signal: abort.signal});
  if (!r.ok) {
    live.textContent = 'Live updates unavailable (HTTP ' + r.status + ').';
    return;
  }
  live.textContent = 'Live: updated from the alert stream.';
  const reader = r.body.getReader();
  const text = new TextDecoder();
  let buffered = '';
  read();

  async function read() {
    try {
      for (;;) {
        const {value, done} = await reader.read();
        if (done) {
          live.textContent = 'Live updates ended: reload to reconnect.';
          return;
        }
        buffered += text.decode(value, {stream: true});
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.substring(0, end);
          buffered = buffered.substring(end + 2);
          const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.substring(5)).join('\n');
          if (data) {
            refresh(JSON.parse(data).account);
          }
        }
      }
    } catch (e) {
      if (!abort.signal.aborted) {
        live.textContent = 'Live updates interrupted: ' + e.message;
      }
    }
  }

  async function refresh(account) {
    if (!account) {
      return;
    }
    const a = await api('/api/v1/accounts/' + encodeURIComponent(account) + '/state');
    const row = accountRow(a);
    const old = document.getElementById('acct-' + account);
    if (old) {
      old.replaceWith(row);
    } else {
      body.append(row);
    }
  }
}

// ---- decisions: search

async function decisions(params) {
  const form = el('form', {id: 'search'},
    el('label', {for: 'f-account'}, 'Account'), el('input', {id: 'f-account', name: 'account', value: params.get('account') || ''}),
    el('label', {for: 'f-outcome'}, 'Outcome'),
    el('select', {id: 'f-outcome', name: 'outcome'},
      ['', 'APPROVED', 'REJECTED', 'FAILED'].map(o => {
        const opt = el('option', {value: o}, o || 'any');
        if (o === (params.get('outcome') || '')) {
          opt.selected = true;
        }
        return opt;
      })),
    el('label', {for: 'f-code'}, 'Rule code'), el('input', {id: 'f-code', name: 'code', value: params.get('code') || ''}),
    el('button', {type: 'submit', id: 'f-search'}, 'Search'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const q = new URLSearchParams();
    new FormData(form).forEach((v, k) => { if (v) { q.set(k, v); } });
    location.hash = '#/decisions?' + q.toString();
  });
  const results = el('div', {id: 'results'});
  show(el('h2', {}, 'Decisions'), form, results);
  const q = new URLSearchParams();
  ['account', 'outcome', 'code'].forEach(k => { if (params.get(k)) { q.set(k, params.get(k)); } });
  q.set('size', '50');
  let page;
  try {
    page = await api('/api/v1/decisions?' + q.toString());
  } catch (e) {
    if (e instanceof Unauthorized) {
      throw e;
    }
    // e.g. a trader's key searching without naming its account: the form stays, with the API's reason
    results.replaceChildren(el('p', {role: 'alert'}, e.message));
    return;
  }
  const rows = (page.items || []).map(d => el('tr', {},
    el('td', {}, d.timestamp),
    el('td', {}, d.account),
    el('td', {}, d.symbol + ' ' + (d.side || '')),
    el('td', {class: d.outcome}, d.outcome),
    el('td', {}, (d.rejections || []).map(r => r.code).join(', ')),
    el('td', {class: 'num'}, quantity(d)),
    el('td', {}, el('a', {href: '#/decision/' + encodeURIComponent(d.decisionId)}, 'Why?'))));
  results.replaceChildren(rows.length === 0 ? el('p', {}, 'No decision matches.') : el('table', {},
    el('thead', {}, el('tr', {}, ['Time (UTC)', 'Account', 'Order', 'Outcome', 'Refused by', 'Quantity', '']
      .map(h => el('th', {scope: 'col'}, h)))),
    el('tbody', {}, rows)));
}

// ---- one decision: why was this order blocked?

async function decision(id) {
  const d = await api('/api/v1/decisions/' + encodeURIComponent(id));
  const why = (d.rejections || []).length === 0
    ? el('p', {}, d.approved ? 'Approved: no rule refused it.' : 'No rule refused it.')
    : el('ol', {id: 'rejections'}, d.rejections.map(r => el('li', {},
        el('strong', {}, r.code), ' — ', r.message, ' (rule "', r.rule, '")')));
  const fired = el('ol', {id: 'fired'}, (d.firedRuleDetails || []).map(f => el('li', {},
    f.name, ' — ', el('code', {}, f.code), ' (', f.category, ')')));
  const adjustments = el('ul', {}, (d.adjustments || []).map(a => el('li', {},
    el('code', {}, a.code), ' ×', a.factor, ': ', a.reason)));
  const s = d.sizing;
  const sizing = s ? el('dl', {id: 'sizing'},
    el('dt', {}, 'Entry'), el('dd', {}, money(s.entry)),
    el('dt', {}, 'Stop-loss'), el('dd', {}, money(s.stopLoss) + ' (' + money(s.stopDistance) + ' away, ' + s.stopSource + ')'),
    el('dt', {}, 'Take-profit'), el('dd', {}, money(s.takeProfit)),
    el('dt', {}, 'Risk'), el('dd', {}, (s.riskPct * 100).toFixed(2) + '% = ' + money(s.riskAmount)),
    el('dt', {}, 'Quantity by risk'), el('dd', {}, String(s.riskQuantity)),
    el('dt', {}, 'Binding cap'), el('dd', {}, s.bindingCap || 'none'),
    el('dt', {}, 'Quantity'), el('dd', {}, quantity(d) + ' (' + money(s.notional) + ')'))
    : el('p', {}, 'Not sized: the order was refused before sizing.');
  const p = d.policy || {};
  show(
    el('h2', {}, 'Decision ', el('code', {}, d.decisionId)),
    el('p', {}, el('span', {class: d.outcome, id: 'outcome'}, d.outcome), ' — ', d.account, ', ', d.symbol, ' ',
      d.side || '', ', at ', d.timestamp, ' (recorded ', d.recordedAt, ')'),
    el('h3', {}, d.approved ? 'Why it was approved' : 'Why it was refused'), why,
    el('h3', {}, 'Rules that fired, in order'), fired,
    el('h3', {}, 'Adjustments'), adjustments,
    el('h3', {}, 'Sizing'), sizing,
    el('h3', {}, 'Policy'),
    el('p', {id: 'policy'}, p.id, ' version ', p.version, ', sha256 ', el('code', {}, p.sha256)),
    el('h3', {}, 'The order as received'), el('pre', {}, JSON.stringify(d.request, null, 2)));
}

// ---- routing

async function route() {
  if (!credential()) {
    signedIn(false);
    return;
  }
  signedIn(true);
  if (stream) {
    stream.abort();
    stream = null;
  }
  const hash = location.hash || '#/overview';
  const [path, query] = hash.substring(1).split('?');
  try {
    if (path === '/overview') {
      await overview();
    } else if (path.startsWith('/decision/')) {
      await decision(decodeURIComponent(path.substring('/decision/'.length)));
    } else {
      await decisions(new URLSearchParams(query || ''));
    }
    document.getElementById('main').focus();
  } catch (e) {
    if (e instanceof Unauthorized) {
      sessionStorage.removeItem(KEY);
      signedIn(false);
      document.getElementById('sign-in-error').textContent = 'Signed out: ' + e.message + '.';
      return;
    }
    show(el('p', {role: 'alert'}, e.message));
  }
}

document.getElementById('sign-in-form').addEventListener('submit', ev => {
  ev.preventDefault();
  const input = document.getElementById('credential');
  sessionStorage.setItem(KEY, input.value.trim());
  input.value = '';
  document.getElementById('sign-in-error').textContent = '';
  route();
});
document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  location.hash = '';
  route();
});
window.addEventListener('hashchange', route);
route();
