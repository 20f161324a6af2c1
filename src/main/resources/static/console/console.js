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
  children.flat(Infinity).forEach(c => e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
  return e;
}

class Unauthorized extends Error {}

/** An answer the API refused: its message, and a refused policy's problems (422) when there are any. */
class Refused extends Error {
  constructor(message, status, problems) {
    super(message);
    this.status = status;
    this.problems = problems || [];
  }
}

async function api(path, method, body) {
  const headers = {'Authorization': 'Bearer ' + credential(), 'Accept': 'application/json'};
  const init = {method: method || 'GET', headers};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  if (r.status === 401) {
    signOut('the credential was not accepted');
    throw new Unauthorized('the credential was not accepted');
  }
  const answer = await r.json().catch(() => null);
  if (!r.ok) {
    const detail = answer && (answer.detail || answer.title) || ('HTTP ' + r.status);
    const errors = answer && answer.errors ? answer.errors.map(e => e.field + ' ' + e.message) : [];
    // a one-field error is usually the detail already: said once
    const extra = errors.filter(x => !detail.includes(x));
    throw new Refused(detail + (extra.length ? ': ' + extra.join('; ') : ''), r.status, answer && answer.problems);
  }
  return answer;
}

/** Stops what the page on show follows: the alert stream, the replays' refresh. */
function stopFollowing() {
  if (stream) {
    stream.abort();
    stream = null;
  }
  if (polling) {
    clearTimeout(polling);
    polling = null;
  }
}

/** Ends the session: the credential forgotten, the stream and timers stopped, the last page cleared. */
function signOut(why) {
  sessionStorage.removeItem(KEY);
  me = null;
  generation++;
  stopFollowing();
  document.getElementById('view').replaceChildren();
  signedIn(false);
  document.getElementById('sign-in-error').textContent = why ? 'Signed out: ' + why + '.' : '';
}

/** The signed-in caller (GET /api/v1/me): name, roles, accounts. */
let me = null;

function may(role) {
  return me !== null && me.roles.includes(role);
}

/** A fragment of the page whose content comes later (a panel that reads its own part of the API). */
function panel(id, title, load) {
  const body = el('div', {id: id});
  const section = el('section', {'aria-labelledby': id + '-title'}, el('h3', {id: id + '-title'}, title), body);
  load().then(nodes => body.replaceChildren(...[nodes].flat()))
    .catch(e => body.replaceChildren(el('p', {role: 'alert'}, e.message)));
  return section;
}

/** A table with its column headings; {@code rows} are rows, or a tbody of them. */
function table(headings, rows, attrs) {
  return el('table', attrs || {}, el('thead', {}, el('tr', {}, headings.map(h => el('th', {scope: 'col'}, h)))),
    rows instanceof Node && rows.tagName === 'TBODY' ? rows : el('tbody', {}, rows));
}

/**
 * Asks before an officer's action: the dialog says exactly what will be done; the action runs only on Confirm.
 * Resolves true when confirmed.
 */
function confirmAction(what) {
  return new Promise(resolve => {
    const yes = el('button', {type: 'button', id: 'confirm-yes'}, 'Confirm');
    const no = el('button', {type: 'button', id: 'confirm-no'}, 'Cancel');
    const dialog = el('dialog', {id: 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-what'},
      el('h2', {id: 'confirm-title'}, 'Please confirm'), el('p', {id: 'confirm-what'}, what), yes, ' ', no);
    document.body.append(dialog);
    const done = answer => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', ev => {
      ev.preventDefault();
      done(false);
    });
    dialog.showModal();
    no.focus();
  });
}

/**
 * A small form for an officer's action: its fields, a button, and the confirmation before anything is sent. Once
 * done, the page is read again (unless the officer has moved on).
 */
function actionForm(id, legend, fields, label, describe, send) {
  const status = el('p', {id: id + '-status', role: 'status'});
  const refused = el('div', {id: id + '-refused', role: 'alert'});
  const submit = el('button', {type: 'submit', id: id + '-submit'}, label);
  const form = el('form', {id: id, class: 'action'}, el('fieldset', {}, el('legend', {}, legend), fields, submit),
    status, refused);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const mine = generation;
    const values = Object.fromEntries(new FormData(form).entries());
    refused.replaceChildren();
    if (!await confirmAction(describe(values))) {
      status.textContent = 'Cancelled: nothing was sent.';
      return;
    }
    submit.disabled = true;
    status.textContent = 'Sending…';
    try {
      await send(values);
      status.textContent = 'Done.';
      if (mine === generation) {
        route();
      }
    } catch (e) {
      status.textContent = '';
      refused.replaceChildren(el('p', {}, 'Refused: ' + e.message), e.problems && e.problems.length
        ? problemsList(e.problems, null) : '');
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** A labelled input named {@code name} (the key the action reads). */
function field(id, name, label, attrs) {
  return [el('label', {for: id}, label), el('input', Object.assign({id: id, name: name}, attrs))];
}

function choice(id, name, label, options) {
  return [el('label', {for: id}, label),
    el('select', {id: id, name: name}, options.map(o => el('option', {value: o}, o)))];
}

/**
 * Each navigation's number: a page still loading when the user has moved on (its answers arrive late) is dropped
 * instead of replacing the newer page.
 */
let generation = 0;

/** Puts a page in the view, unless the navigation {@code mine} belongs to has been overtaken. */
function show(mine, ...nodes) {
  if (mine !== generation) {
    return false;
  }
  document.getElementById('view').replaceChildren(...nodes);
  return true;
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

/** A loss against the limits it is measured against, e.g. "3.41% (limits 5.00%, 15.00%)"; no limit: the loss. */
function against(x, ...limits) {
  const set = limits.filter(l => l != null);
  return pct(x) + (set.length ? ' (limit' + (set.length > 1 ? 's ' : ' ') + set.map(pct).join(', ') + ')' : '');
}

function accountRow(a) {
  const dd = a.drawdown || {};
  const l = a.limits || {};
  return el('tr', {id: 'acct-' + a.account},
    el('td', {}, el('a', {href: '#/account/' + encodeURIComponent(a.account)}, a.account)),
    el('td', {class: 'state ' + a.state}, a.state),
    el('td', {class: 'num'}, money(a.equity)),
    el('td', {class: 'num'}, against(dd.fromPeak, l.circuitBreaker, l.maxDrawdown)),
    el('td', {class: 'num'}, against(dd.daily, l.dailyLoss)),
    el('td', {class: 'num'}, against(dd.weekly, l.weeklyLoss)),
    el('td', {}, (a.breakers || []).map(b => b.code).join(', ')),
    el('td', {class: 'num'}, String(a.openInstructions)));
}

/** The firm: totals against the firm limits, and the kill switches in force (officers and auditors). */
function firmPanel() {
  return panel('firm', 'Firm', async () => {
    const [limits, switches] = await Promise.all([api('/api/v1/firm/limits'), api('/api/v1/firm/kill-switch')]);
    const ofLimit = (x, max) => money(x) + (max == null ? ' (no limit)' : ' of ' + money(max) + ' ('
      + (max > 0 ? (x / max * 100).toFixed(1) : '0') + '%)');
    const inForce = switches.inForce || [];
    return [el('dl', {id: 'firm-limits'},
      el('dt', {}, 'Gross exposure'), el('dd', {}, ofLimit(limits.grossExposure, limits.maxGrossExposure)),
      el('dt', {}, 'Risk approved today'), el('dd', {}, ofLimit(limits.dailyRisk, limits.maxDailyRisk)),
      el('dt', {}, 'Limits of policy'), el('dd', {}, limits.policy)),
    el('p', {id: 'kill-switches'}, inForce.length === 0 ? 'Kill switches: none in force.'
      : 'Kill switches in force: ' + inForce.map(k => k.scope + ' (by ' + k.actor + ' at ' + k.trippedAt + ': '
        + k.reason + ')').join('; '))];
  });
}

async function overview() {
  const mine = generation;
  const accounts = await api('/api/v1/accounts');
  const body = el('tbody', {id: 'accounts'}, accounts.map(accountRow));
  const live = el('p', {id: 'live'}, 'Live: connecting to the alert stream…');
  show(mine, el('h2', {}, 'Overview'), live, may('OFFICER') || may('AUDITOR') ? firmPanel() : '',
    accounts.length === 0 ? el('p', {}, 'No account yet.') : table(['Account', 'State', 'Equity',
      'Drawdown from peak (circuit breaker, maximum)', 'Daily loss', 'Weekly loss', 'Breakers',
      'Open instructions'], body));
  // the alert stream (Server-Sent Events) read with fetch, which can send the credential: an account an alert
  // names is read again and its row replaced, without a reload. A trader's key follows each of its accounts.
  if (mine !== generation) {
    return;
  }
  const abort = new AbortController();
  stream = abort;
  const everyAccount = may('OFFICER') || may('AUDITOR') || me.accounts.includes('*');
  const urls = everyAccount ? ['/api/v1/events']
    : me.accounts.map(a => '/api/v1/events?account=' + encodeURIComponent(a));
  const opened = await Promise.all(urls.map(u => fetch(u, {headers: {'Authorization': 'Bearer ' + credential()},
    signal: abort.signal}).catch(e => ({ok: false, status: e.message}))));
  if (mine !== generation) {
    abort.abort();
    return;
  }
  const refused = opened.find(r => !r.ok);
  if (refused) {
    abort.abort();
    live.textContent = 'Live updates unavailable (' + refused.status + '): reload to try again.';
    return;
  }
  live.textContent = 'Live: updated from the alert stream.';
  opened.forEach(r => read(r.body.getReader()));

  async function read(reader) {
    const text = new TextDecoder();
    let buffered = '';
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
            refresh(JSON.parse(data).account).catch(e => {
              live.textContent = 'Live update failed: ' + e.message;
            });
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
    } else if (body.isConnected) {
      body.append(row);
    } else {
      // the overview had no account yet: drawn again with this one
      route();
    }
  }
}

// ---- one account: charts, trades, instructions, breakers, locks, and the officer's actions

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  children.forEach(c => e.append(c instanceof Node ? c : document.createTextNode(String(c))));
  return e;
}

/**
 * A line chart of {@code values} over {@code times} as inline SVG, labelled for screen readers with its range; the
 * numbers themselves follow in a table under "The numbers".
 */
function lineChart(id, title, times, values, format) {
  const w = 640, h = 180, left = 90, right = 10, top = 10, bottom = 30;
  // a flat series is drawn across the middle of a range 1% either side of its value
  const lo = Math.min(...values), hi = Math.max(...values);
  const pad = hi === lo ? Math.abs(hi) * 0.01 || 0.01 : 0;
  const min = lo - pad, max = hi + pad;
  const span = max - min || Math.abs(max) || 1;
  const t0 = Date.parse(times[0]), t1 = Date.parse(times[times.length - 1]);
  const x = t => left + (t1 === t0 ? (w - left - right) / 2 : (Date.parse(t) - t0) / (t1 - t0) * (w - left - right));
  const y = v => top + (max - v) / span * (h - top - bottom);
  const path = values.map((v, i) => (i === 0 ? 'M' : 'L') + x(times[i]).toFixed(1) + ',' + y(v).toFixed(1)).join(' ');
  const summary = title + ': ' + values.length + ' points from ' + times[0] + ' to ' + times[times.length - 1]
    + ', between ' + format(lo) + ' and ' + format(hi) + ', last ' + format(values[values.length - 1]);
  const chart = svg('svg', {id: id, class: 'chart', viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': summary},
    svg('title', {}, summary),
    svg('line', {x1: left, y1: top, x2: left, y2: h - bottom, class: 'axis'}),
    svg('line', {x1: left, y1: h - bottom, x2: w - right, y2: h - bottom, class: 'axis'}),
    svg('text', {x: left - 6, y: top + 10, 'text-anchor': 'end'}, format(max)),
    svg('text', {x: left - 6, y: h - bottom, 'text-anchor': 'end'}, format(min)),
    svg('text', {x: left, y: h - 8}, times[0].substring(0, 16).replace('T', ' ')),
    svg('text', {x: w - right, y: h - 8, 'text-anchor': 'end'}, times[times.length - 1].substring(0, 16).replace('T', ' ')),
    svg('path', {d: path, class: 'line'}),
    ...values.map((v, i) => svg('circle', {cx: x(times[i]).toFixed(1), cy: y(v).toFixed(1), r: 2.5})));
  return el('figure', {}, el('figcaption', {}, title), chart);
}

function accountCharts(account) {
  return panel('charts', 'Equity and drawdown', async () => {
    const points = await api('/api/v1/accounts/' + encodeURIComponent(account) + '/equity?limit=500');
    if (points.length === 0) {
      return el('p', {}, 'No equity reported yet.');
    }
    const times = points.map(p => p.at);
    return [lineChart('equity-chart', 'Reported equity ($)', times, points.map(p => p.equity), money),
      lineChart('drawdown-chart', 'Drawdown from the peak (%)', times, points.map(p => p.drawdown), pct),
      el('details', {}, el('summary', {}, 'The numbers'), table(['Time (UTC)', 'Equity', 'Peak', 'Drawdown', 'Source'],
        points.map(p => el('tr', {}, el('td', {}, p.at), el('td', {class: 'num'}, money(p.equity)),
          el('td', {class: 'num'}, money(p.peak)), el('td', {class: 'num'}, pct(p.drawdown)), el('td', {}, p.source)))))];
  });
}

function r(x) {
  return x == null ? '' : (x >= 0 ? '+' : '') + Number(x).toFixed(2) + 'R';
}

function accountTrades(account) {
  return panel('trades', 'Trades', async () => {
    const trades = await api('/api/v1/accounts/' + encodeURIComponent(account) + '/trades?limit=100');
    if (trades.length === 0) {
      return el('p', {}, 'No trade yet.');
    }
    return table(['Opened (UTC)', 'Order', 'Quantity', 'Entry', 'Stop', 'State', 'Result', 'R-multiple', 'MFE',
      'MAE', 'Held (h)'], trades.map(t => el('tr', {},
      el('td', {}, t.openedAt), el('td', {}, t.symbol + ' ' + t.side + (t.strategy ? ' (' + t.strategy + ')' : '')),
      el('td', {class: 'num'}, quantity(t)), el('td', {class: 'num'}, money(t.entryPrice)),
      el('td', {class: 'num'}, money(t.stopLoss)), el('td', {}, t.state),
      el('td', {class: 'num'}, t.realizedPnl == null ? '' : money(t.realizedPnl)),
      el('td', {class: 'num'}, r(t.rMultiple)),
      el('td', {class: 'num'}, t.mfe ? money(t.mfe.price) + ' a unit (' + r(t.mfe.r) + ')' : ''),
      el('td', {class: 'num'}, t.mae ? money(t.mae.price) + ' a unit (' + r(-t.mae.r) + ')' : ''),
      el('td', {class: 'num'}, Number(t.holdingHours).toFixed(1)))), {id: 'trades-table'});
  });
}

/** A breaker's measured value or limit in its unit: sigmas, a correlation, or a share of equity (%). */
function measure(code, x) {
  if (x == null) {
    return '';
  }
  if (code === 'VOLATILITY_SPIKE') {
    return Number(x).toFixed(2) + ' σ';
  }
  if (code === 'CORRELATION_SPIKE') {
    return Number(x).toFixed(2) + ' (correlation)';
  }
  return pct(x);
}

function accountLog(account) {
  const a = encodeURIComponent(account);
  return [
    panel('instructions', 'Emergency instructions', async () => {
      const list = await api('/api/v1/accounts/' + a + '/instructions');
      return list.length === 0 ? el('p', {}, 'None issued.') : table(['Issued (UTC)', 'Kind', 'Trades', 'Rule',
        'Reason', 'Acknowledged'], list.map(i => el('tr', {}, el('td', {}, i.issuedAt), el('td', {}, i.kind +
        (i.fraction != null ? ' ' + pct(i.fraction) : '')), el('td', {}, (i.tradeIds || []).length + ' trade(s)'),
        el('td', {}, i.code), el('td', {}, i.reason),
        el('td', {}, i.acknowledgedAt ? i.acknowledgedAt + (i.acknowledgement ? ': ' + i.acknowledgement : '')
          : 'open'))));
    }),
    panel('breakers', 'Breakers log', async () => {
      const log = await api('/api/v1/accounts/' + a + '/breakers?limit=50');
      return log.length === 0 ? el('p', {}, 'No trip or reset yet.') : table(['At (UTC)', 'Action', 'Breaker',
        'State', 'Measured', 'Limit', 'By', 'Reason'], log.map(b => el('tr', {}, el('td', {}, b.at),
        el('td', {}, b.action), el('td', {}, b.code), el('td', {class: 'state ' + b.state}, b.state),
        el('td', {class: 'num'}, measure(b.code, b.measured)),
        el('td', {class: 'num'}, measure(b.code, b.limit)), el('td', {}, b.actor),
        el('td', {}, b.reason))), {id: 'breakers-table'});
    }),
    panel('locks', 'Locks', async () => {
      const locks = await api('/api/v1/accounts/' + a + '/locks');
      const held = locks.locks || [];
      return [held.length === 0 ? el('p', {}, 'No lock in force.') : table(['Lock', 'Symbol', 'Since (UTC)',
        'Until (UTC)', 'Reason', ''], held.map(l => el('tr', {}, el('td', {}, l.code), el('td', {}, l.symbol || 'all'),
        el('td', {}, l.since), el('td', {}, l.until), el('td', {}, l.reason),
        el('td', {}, may('OFFICER') ? liftForm(account, l) : '')))),
      (locks.lifts || []).length === 0 ? '' : el('p', {}, 'Lifted: ' + locks.lifts.map(x => x.code + ' '
        + (x.symbol || '') + ' by ' + x.actor + ' at ' + x.liftedAt + ' (' + x.reason + ')').join('; '))];
    })];
}

function liftForm(account, lock) {
  const id = 'lift-' + lock.code + '-' + (lock.symbol || 'all').replace(/[^A-Za-z0-9]/g, '');
  return actionForm(id, 'Lift ' + lock.code, field(id + '-reason', 'reason', 'Reason', {required: '', maxlength: '500'}),
    'Lift…', v => 'Lift ' + lock.code + (lock.symbol ? ' on ' + lock.symbol : '') + ' for account ' + account
      + ', reason: "' + v.reason + '".',
    v => api('/api/v1/accounts/' + encodeURIComponent(account) + '/locks/lift', 'POST',
      Object.assign({code: lock.code, reason: v.reason}, lock.symbol ? {symbol: lock.symbol} : {})));
}

/** The officer's actions on an account, each behind a confirmation; shown to officers only (the API checks too). */
function officerActions(account) {
  const a = encodeURIComponent(account);
  return el('section', {'aria-labelledby': 'actions-title', id: 'actions'},
    el('h3', {id: 'actions-title'}, 'Officer actions'),
    actionForm('trip', 'Trip the breaker', [field('trip-reason', 'reason', 'Reason', {required: '', maxlength: '500'}),
      choice('trip-state', 'state', 'State', ['HALTED', 'REDUCING'])], 'Trip…',
    v => 'Trip account ' + account + '\'s breaker: it goes ' + v.state + ' until an officer resets it. Reason: "'
      + v.reason + '".',
    v => api('/api/v1/accounts/' + a + '/breaker', 'POST', {action: 'TRIP', reason: v.reason, state: v.state})),
    actionForm('reset', 'Reset the breakers', field('reset-reason', 'reason', 'Reason', {required: '', maxlength: '500'}),
      'Reset…', v => 'Reset every breaker of account ' + account + '. Reason: "' + v.reason + '".',
      v => api('/api/v1/accounts/' + a + '/breaker', 'POST', {action: 'RESET', reason: v.reason})),
    actionForm('assign', 'Assign a policy', [field('assign-policyId', 'policyId', 'Policy id', {required: ''}),
      field('assign-reason', 'reason', 'Reason', {required: '', maxlength: '500'})], 'Assign…',
    v => 'Decide account ' + account + '\'s orders under policy ' + v.policyId + ' from now on. Reason: "'
      + v.reason + '".',
    v => api('/api/v1/accounts/' + a + '/policy', 'PUT', {policyId: v.policyId, reason: v.reason})));
}

async function account(id) {
  const mine = generation;
  const a = encodeURIComponent(id);
  const [state, view, policy] = await Promise.all([api('/api/v1/accounts/' + a + '/state'),
    api('/api/v1/accounts/' + a), api('/api/v1/accounts/' + a + '/policy')]);
  const dd = state.drawdown || {};
  show(mine,
    el('h2', {}, 'Account ', el('code', {}, id)),
    el('p', {}, 'State: ', el('span', {id: 'account-state', class: 'state ' + state.state}, state.state),
      ' — equity ', money(state.equity), ' (peak ', money(state.peakEquity), '), drawdown from peak ',
      against(dd.fromPeak, (state.limits || {}).circuitBreaker, (state.limits || {}).maxDrawdown), ', daily loss ',
      against(dd.daily, (state.limits || {}).dailyLoss), ', weekly loss ', against(dd.weekly,
        (state.limits || {}).weeklyLoss), '.'),
    el('p', {}, 'Breakers in force: ', (state.breakers || []).length === 0 ? 'none' : state.breakers.map(b => b.code
      + ' (' + b.state + (b.until ? ' until ' + b.until : '') + ', by ' + b.actor + ': ' + b.reason + ')').join('; ')),
    el('p', {}, 'Exposure ', money(view.exposure), view.exposurePctOfEquity == null ? '' : ' (' + pct(view.exposurePctOfEquity)
      + ' of equity)', ', ', (view.openPositions || []).length, ' open position(s), ', (view.reservations || []).length,
    ' reservation(s). Decided under policy ', policyLink(policy.policyId, policy.sha256, policy.policyId + ' version '
      + policy.version, 'account-policy'), policy.assigned ? ' (assigned)' : ' (the default)', '. ',
    el('a', {href: '#/decisions?account=' + a}, 'Its decisions')),
    may('OFFICER') ? officerActions(id) : '',
    accountCharts(id), accountTrades(id), ...accountLog(id));
}

// ---- decisions: search

async function decisions(params) {
  const mine = generation;
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
    el('label', {for: 'f-symbol'}, 'Symbol'),
    el('input', {id: 'f-symbol', name: 'symbol', value: params.get('symbol') || ''}),
    el('label', {for: 'f-from'}, 'From (UTC, ISO-8601)'),
    el('input', {id: 'f-from', name: 'from', placeholder: '2026-12-01T00:00:00Z', value: params.get('from') || ''}),
    el('label', {for: 'f-to'}, 'To (UTC)'),
    el('input', {id: 'f-to', name: 'to', placeholder: '2026-12-02T00:00:00Z', value: params.get('to') || ''}),
    el('button', {type: 'submit', id: 'f-search'}, 'Search'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const q = new URLSearchParams();
    new FormData(form).forEach((v, k) => { if (v) { q.set(k, v); } });
    location.hash = '#/decisions?' + q.toString();
  });
  const results = el('div', {id: 'results'});
  show(mine, el('h2', {}, 'Decisions'), form, results);
  const q = new URLSearchParams();
  ['account', 'outcome', 'code', 'symbol', 'from', 'to'].forEach(k => { if (params.get(k)) { q.set(k, params.get(k)); } });
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

/** A policy version, linked to its text for those who may read policies (officers, auditors), else named. */
function policyLink(id, sha256, text, elementId) {
  return may('OFFICER') || may('AUDITOR')
    ? el('a', {id: elementId, href: '#/policy/' + encodeURIComponent(id) + '/' + encodeURIComponent(sha256)}, text)
    : el('span', {id: elementId}, text);
}

/**
 * The decision's record against the audit chain (auditors): its content against its hash and its links to the
 * records either side, checked without walking the chain.
 */
function chainStatus(id) {
  if (!may('AUDITOR')) {
    return el('p', {id: 'chain'}, 'Auditors verify the record against the audit chain.');
  }
  const p = el('p', {id: 'chain'}, 'Checking the record against the audit chain…');
  api('/api/v1/audit/verify/' + encodeURIComponent(id)).then(v => {
    p.textContent = v.intact ? 'Intact: record ' + v.seq + ' of the chain matches its hash, and the records either '
      + 'side link to it (the whole chain: GET /api/v1/audit/verify).' : 'NOT intact: ' + v.problems.join('; ');
    p.className = v.intact ? 'APPROVED' : 'REJECTED';
  }).catch(e => {
    p.textContent = 'Could not check: ' + e.message;
  });
  return p;
}

async function decision(id) {
  const mine = generation;
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
  show(mine,
    el('h2', {}, 'Decision ', el('code', {}, d.decisionId)),
    el('p', {}, el('span', {class: d.outcome, id: 'outcome'}, d.outcome), ' — ', d.account, ', ', d.symbol, ' ',
      d.side || '', ', at ', d.timestamp, ' (recorded ', d.recordedAt, ')'),
    el('h3', {}, d.approved ? 'Why it was approved' : 'Why it was refused'), why,
    el('h3', {}, 'Rules that fired, in order'), fired,
    el('h3', {}, 'Adjustments'), adjustments,
    el('h3', {}, 'Sizing'), sizing,
    el('h3', {}, 'Policy'),
    el('p', {id: 'policy'}, policyLink(p.id, p.sha256, p.id + ' version ' + p.version), ', sha256 ',
      el('code', {}, p.sha256)),
    el('h3', {}, 'Audit chain'), chainStatus(d.decisionId),
    el('h3', {}, 'The order as received'), el('pre', {}, JSON.stringify(d.request, null, 2)));
}

// ---- policies: in force, history, diff, a candidate's validation and what-if, activation

function short(sha) {
  return sha ? sha.substring(0, 12) : '';
}

function problemsList(problems, yaml) {
  return el('ol', {id: 'problems'}, problems.map(p => el('li', {},
    el('strong', {}, p.file + (p.line > 0 ? ':' + p.line : '')), p.path ? ' ' + p.path : '', ' — ', p.message,
    yaml && p.line > 0 && /\.ya?ml$/.test(p.file) ? el('pre', {class: 'line'}, yaml.split('\n')[p.line - 1] || '')
      : '')));
}

/** A unified diff's lines as two columns: before on the left, after on the right. */
function sideBySide(lines) {
  const rows = [];
  let removed = [], added = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push(el('tr', {}, el('td', {class: removed[i] != null ? 'removed' : ''}, removed[i] || ''),
        el('td', {class: added[i] != null ? 'added' : ''}, added[i] || '')));
    }
    removed = [];
    added = [];
  };
  lines.forEach(l => {
    if (l.startsWith('---') || l.startsWith('+++')) {
      return;
    }
    if (l.startsWith('-')) {
      removed.push(l.substring(1));
    } else if (l.startsWith('+')) {
      added.push(l.substring(1));
    } else {
      flush();
      const text = l.startsWith('@@') ? l : l.substring(1);
      rows.push(el('tr', {class: l.startsWith('@@') ? 'hunk' : ''}, el('td', {}, text), el('td', {}, text)));
    }
  });
  flush();
  return table(['Before', 'After'], rows, {class: 'diff'});
}

async function diffView(id, from, to) {
  const d = await api('/api/v1/policies/' + encodeURIComponent(id) + '/diff?from=' + encodeURIComponent(from)
    + '&to=' + encodeURIComponent(to));
  return [el('h4', {}, 'Settings'), d.yaml.length === 0 ? el('p', {}, 'No setting changed.')
    : table(['Setting', 'Version ' + d.from, 'Version ' + d.to], d.yaml.map(k => el('tr', {},
      el('th', {scope: 'row'}, k.key), el('td', {class: 'removed'}, k.from == null ? '(absent)' : k.from),
      el('td', {class: 'added'}, k.to == null ? '(absent)' : k.to))), {id: 'diff-settings'}),
  el('h4', {}, 'Rule files (a decision table as its rows, then the rules they generate)'), d.rules.length === 0
    ? el('p', {}, 'No rule file changed.')
    : el('div', {id: 'diff-rules'}, d.rules.map(f => el('section', {}, el('h5', {}, f.file + ': ' + f.change),
      sideBySide(f.diff || []))))];
}

function candidateTools(active) {
  const yaml = el('textarea', {id: 'candidate-yaml', name: 'yaml', rows: '18', cols: '100', spellcheck: 'false'});
  const start = el('button', {type: 'button', id: 'candidate-start'}, 'Start from the version in force');
  const validate = el('button', {type: 'button', id: 'candidate-validate'}, 'Validate and run the scenario tests');
  const last = el('input', {id: 'candidate-last', name: 'last', type: 'number', min: '1', max: '500', value: '100'});
  const whatIf = el('button', {type: 'button', id: 'candidate-whatif'}, 'What-if over the latest decisions');
  const out = el('div', {id: 'candidate-result', role: 'status'});
  start.addEventListener('click', async () => {
    try {
      const v = await api('/api/v1/policies/' + encodeURIComponent(active.id) + '/versions/'
        + encodeURIComponent(active.sha256));
      yaml.value = v.policyYaml;
    } catch (e) {
      out.replaceChildren(el('p', {role: 'alert'}, 'Could not read the version in force: ' + e.message));
    }
  });
  const run = async (path, body, render) => {
    out.replaceChildren(el('p', {}, 'Working…'));
    try {
      out.replaceChildren(...render(await api(path, 'POST', body)));
    } catch (e) {
      out.replaceChildren(el('p', {role: 'alert'}, 'Refused: ' + e.message),
        e.problems.length ? problemsList(e.problems, yaml.value) : '');
    }
  };
  validate.addEventListener('click', () => run('/api/v1/policies/validate', {yaml: yaml.value, policyId: active.id},
    v => [el('p', {id: 'validation'}, 'Valid: policy ' + v.candidate.id + ' version ' + v.candidate.version + ', '
      + v.rules + ' rules, sha256 ' + short(v.candidate.sha256) + '. Scenario tests (' + v.scenarios.tests + '): '
      + v.scenarios.passed + ' passed, ' + v.scenarios.failed + ' failed.'),
    v.scenarios.failures.length === 0 ? '' : el('ul', {id: 'scenario-failures'}, v.scenarios.failures.map(f =>
      el('li', {}, el('strong', {}, f.file + ': ' + f.scenario), el('ul', {}, f.differences.map(d => el('li', {}, d))))))]));
  whatIf.addEventListener('click', () => run('/api/v1/policies/what-if', {yaml: yaml.value, policyId: active.id,
    last: Number(last.value)}, w => [el('p', {id: 'whatif-summary'}, w.evaluated + ' decisions decided again, '
      + w.changed + ' would change' + (w.skipped.length ? ', ' + w.skipped.length + ' skipped' : '') + '.'),
    w.changes.length === 0 ? '' : table(['Decision', 'Account', 'Order', 'Before', 'After', 'Caused by'],
      w.changes.map(c => el('tr', {}, el('td', {}, el('a', {href: '#/decision/' + encodeURIComponent(c.decisionId)},
        short(c.decisionId))), el('td', {}, c.account), el('td', {}, c.symbol + ' at ' + c.at),
        el('td', {}, c.before + ' ' + c.beforeQuantity + ' ' + c.beforeCodes.join(', ')),
        el('td', {}, c.after + ' ' + c.afterQuantity + ' ' + c.afterCodes.join(', ')),
        el('td', {}, c.causedBy.join(', ')))), {id: 'whatif-changes'})]));
  return el('section', {'aria-labelledby': 'candidate-title'}, el('h3', {id: 'candidate-title'}, 'A candidate'),
    el('p', {}, 'Paste or edit a candidate of policy ', active.id, ' (YAML; its rule files are the live ones). '
      + 'Nothing here is put in force.'), start,
    el('div', {}, el('label', {for: 'candidate-yaml'}, 'Candidate YAML')), yaml,
    el('div', {}, validate, ' ', el('label', {for: 'candidate-last'}, 'Decisions'), last, ' ', whatIf), out);
}

function activation() {
  return el('section', {'aria-labelledby': 'activate-title'}, el('h3', {id: 'activate-title'}, 'Activation'),
    el('p', {}, 'Puts the policy files on the server in force (every policy), as a reload does; refused with every '
      + 'problem if any file is invalid, and nothing changes then.'),
    actionForm('activate', 'Put the policy files in force', field('activate-reason', 'reason', 'Reason',
      {required: '', maxlength: '500'}), 'Activate…', v => 'Put the policy files in force for every account. '
      + 'Reason: "' + v.reason + '".', v => api('/api/v1/policies/reload', 'POST', {reason: v.reason})));
}

async function policies(params) {
  const mine = generation;
  const active = await api('/api/v1/policies/active');
  const versions = await api('/api/v1/policies/' + encodeURIComponent(active.id) + '/versions');
  const from = params.get('from') || (versions[1] || versions[0]).sha256;
  const to = params.get('to') || versions[0].sha256;
  const pick = (id, label, value) => [el('label', {for: id}, label), el('select', {id: id, name: id.substring(5)},
    versions.map(v => {
      const o = el('option', {value: v.sha256}, v.version + ' (' + short(v.sha256) + ')');
      o.selected = v.sha256 === value;
      return o;
    }))];
  const form = el('form', {id: 'diff-form'}, pick('diff-from', 'From', from), pick('diff-to', 'To', to),
    el('button', {type: 'submit', id: 'diff-show'}, 'Show the differences'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    location.hash = '#/policies?from=' + encodeURIComponent(form.elements.from.value) + '&to='
      + encodeURIComponent(form.elements.to.value);
  });
  show(mine, el('h2', {}, 'Policies'),
    el('p', {id: 'active-policy'}, 'In force: ', el('strong', {}, active.id), ' version ', active.version, ', sha256 ',
      el('code', {}, active.sha256), ', ', active.rules.length, ' rules, compiled ', active.compiledAt, ' in ',
      active.compileMillis, ' ms. ', el('a', {href: '#/policy/' + encodeURIComponent(active.id) + '/'
        + encodeURIComponent(active.sha256)}, 'Read it')),
    el('h3', {}, 'History'),
    table(['Version', 'sha256', 'First loaded (UTC)', 'Who, when, why'], versions.map(v => el('tr', {},
      el('td', {}, el('a', {href: '#/policy/' + encodeURIComponent(v.policyId) + '/' + encodeURIComponent(v.sha256)},
        v.version)), el('td', {}, el('code', {}, short(v.sha256))), el('td', {}, v.firstLoadedAt),
      el('td', {}, el('ul', {}, (v.activations || []).map(x => el('li', {}, x.outcome + ' by ' + x.actor + ' at '
        + x.occurredAt + (x.reason ? ': ' + x.reason : ''))))))), {id: 'versions'}),
    el('h3', {}, 'Differences'), form, panel('diff', 'Version ' + short(from) + ' to ' + short(to),
      () => diffView(active.id, from, to)),
    may('OFFICER') ? candidateTools(active) : '', may('OFFICER') ? activation() : '');
}

async function policyVersion(id, version) {
  const mine = generation;
  const v = await api('/api/v1/policies/' + encodeURIComponent(id) + '/versions/' + encodeURIComponent(version));
  const lines = v.policyYaml.split('\n');
  show(mine, el('h2', {}, 'Policy ', v.id, ' version ', v.version),
    el('p', {}, 'sha256 ', el('code', {}, v.sha256), ', file ', v.sourceFile, ', first loaded ', v.firstLoadedAt, '.'),
    el('h3', {}, v.sourceFile), el('ol', {class: 'source', id: 'policy-yaml'}, lines.map(l => el('li', {}, el('code', {}, l)))),
    el('h3', {}, 'Rule files'), el('ul', {}, (v.ruleFiles || []).map(f => el('li', {}, f.name,
      f.encoding === 'base64' ? ' (a spreadsheet decision table: its rows are compared as rules in a diff)' : '',
      f.encoding === 'base64' ? '' : el('details', {}, el('summary', {}, 'Read'), el('pre', {}, f.content))))));
}

// ---- replays: start one, watch it, open its report

let polling = null;

function replayRow(j) {
  return el('tr', {id: 'replay-' + j.id}, el('td', {}, j.startedAt), el('td', {}, j.actor),
    el('td', {}, j.policy + (j.comparePolicy ? ' vs ' + j.comparePolicy : '')), el('td', {}, j.state),
    el('td', {}, el('progress', {max: String(Math.max(1, j.total)), value: String(j.done),
      'aria-label': 'progress of replay ' + j.id}), ' ', j.done + ' / ' + j.total),
    el('td', {}, j.error || '', j.summary ? j.summary.decisions + ' decisions, ' + j.summary.trades
      + ' trades, net ' + money(j.summary.netPnl) + ', max drawdown ' + pct(j.summary.maxDrawdownPct) : '',
    j.warning ? el('p', {}, 'Warning: ' + j.warning) : ''),
    el('td', {}, j.state === 'DONE' ? el('a', {href: '#/replay/' + encodeURIComponent(j.id)}, 'Report') : ''));
}

async function replays() {
  const mine = generation;
  let jobs = await api('/api/v1/replays');
  const body = el('tbody', {id: 'replays'}, jobs.map(replayRow));
  const start = may('OFFICER') ? replayStart() : '';
  show(mine, el('h2', {}, 'Replays'), start, jobs.length === 0 ? el('p', {}, 'No replay since the service started.')
    : table(['Started (UTC)', 'By', 'Policy', 'State', 'Progress', 'Result', ''], body));
  const poll = async () => {
    polling = null;
    if (mine !== generation || !jobs.some(j => j.state === 'QUEUED' || j.state === 'RUNNING')) {
      return;
    }
    jobs = await api('/api/v1/replays');
    if (mine === generation) {
      body.replaceChildren(...jobs.map(replayRow));
      polling = setTimeout(poll, 2000);
    }
  };
  polling = setTimeout(poll, 2000);
}

function replayStart() {
  const file = el('input', {id: 'replay-file', type: 'file', accept: 'application/json,.json', required: ''});
  const policy = el('input', {id: 'replay-policy', name: 'policy', placeholder: 'default'});
  const status = el('p', {id: 'replay-status', role: 'status'});
  const form = el('form', {id: 'replay-form'}, el('fieldset', {}, el('legend', {}, 'Start a replay'),
    el('label', {for: 'replay-file'}, 'History (a JSON file of bars and signals, docs/replay.md)'), file,
    el('label', {for: 'replay-policy'}, 'Policy (default: default)'), policy,
    el('button', {type: 'submit', id: 'replay-submit'}, 'Start')), status);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    try {
      const body = JSON.parse(await file.files[0].text());
      if (policy.value) {
        body.policy = policy.value;
      }
      if (!await confirmAction('Replay ' + file.files[0].name + ' (' + (body.bars || []).length + ' bars, '
        + (body.signals || []).length + ' signals) through policy ' + (body.policy || 'default') + '.')) {
        status.textContent = 'Cancelled: nothing was sent.';
        return;
      }
      const job = await api('/api/v1/replays', 'POST', body);
      status.textContent = 'Started replay ' + job.id + '.';
      route();
    } catch (e) {
      status.textContent = 'Refused: ' + e.message;
    }
  });
  return form;
}

async function replay(id) {
  const mine = generation;
  const j = await api('/api/v1/replays/' + encodeURIComponent(id));
  const r = await fetch('/api/v1/replays/' + encodeURIComponent(id) + '/report',
    {headers: {'Authorization': 'Bearer ' + credential(), 'Accept': 'text/html'}});
  if (!r.ok) {
    throw new Error('the report is not available (HTTP ' + r.status + ')');
  }
  // the report is riskgate's own HTML; framed without the console's origin, it cannot reach the credential
  const frame = el('iframe', {id: 'replay-report', title: 'Replay report ' + id, sandbox: '', class: 'report'});
  frame.srcdoc = await r.text();
  show(mine, el('h2', {}, 'Replay ', el('code', {}, id)), el('p', {}, 'Policy ', j.policy, ', started ', j.startedAt,
    ' by ', j.actor, ', ', j.state, '.'), frame);
}

// ---- routing

async function route() {
  if (!credential()) {
    signOut();
    return;
  }
  stopFollowing();
  const mine = ++generation;
  const hash = location.hash || '#/overview';
  const [path, query] = hash.substring(1).split('?');
  const params = new URLSearchParams(query || '');
  try {
    if (me === null) {
      me = await api('/api/v1/me');
    }
    if (mine !== generation) {
      // overtaken while asking who we are: the newer navigation draws the page (each page keeps its number)
      return;
    }
    signedIn(true);
    const reads = may('OFFICER') || may('AUDITOR');
    document.getElementById('nav-policies').hidden = !reads;
    document.getElementById('nav-replays').hidden = !reads;
    document.getElementById('who').textContent = me.name + ' (' + me.roles.join(', ') + ')';
    const rest = prefix => decodeURIComponent(path.substring(prefix.length));
    if (path === '/overview') {
      await overview();
    } else if (path.startsWith('/decision/')) {
      await decision(rest('/decision/'));
    } else if (path.startsWith('/account/')) {
      await account(rest('/account/'));
    } else if (path === '/policies') {
      await policies(params);
    } else if (path.startsWith('/policy/')) {
      const [id, version] = path.substring('/policy/'.length).split('/').map(decodeURIComponent);
      await policyVersion(id, version);
    } else if (path === '/replays') {
      await replays();
    } else if (path.startsWith('/replay/')) {
      await replay(rest('/replay/'));
    } else {
      await decisions(params);
    }
    document.getElementById('main').focus();
  } catch (e) {
    if (e instanceof Unauthorized) {
      // api() has signed out already
      return;
    }
    signedIn(true);
    show(mine, el('p', {role: 'alert'}, e.message));
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
  signOut();
  location.hash = '';
});
window.addEventListener('hashchange', route);
route();
