// The clipper's popup: pair with Gleaner (its address and the one-time code it shows), then
// clip the page in the active tab — the DOM as rendered, its address and title, the selected
// text with some text around it — into a category and/or collection Gleaner offers. Clips go
// through the background's queue, so one made while Gleaner is closed is sent later.
import {
  DEFAULT_ENDPOINT,
  MAX_CLIP_BYTES,
  clearDropped,
  errorOf,
  ext,
  getDropped,
  getPairing,
  getTargets,
  loopbackEndpoint,
  setPairing,
  setTargets
} from './lib/store.js'

const $ = (id) => document.getElementById(id)
const msg = (key, ...subs) => ext.i18n.getMessage(key, subs) || key

function translate() {
  document.documentElement.lang = ext.i18n.getUILanguage()
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = msg(el.dataset.i18n)
}

function say(text, tone = '') {
  const status = $('status')
  status.textContent = text
  status.className = tone
}

/** The tab to clip: the one named in the address (?tab=ID), else the active tab. */
async function targetTab() {
  const named = Number(new URLSearchParams(location.search).get('tab'))
  if (Number.isInteger(named) && named > 0) return ext.tabs.get(named)
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true })
  return tab
}

/** Runs in the page: what the user sees, after the page's own scripts ran. */
function capturePage() {
  const sel = window.getSelection()
  let selection = null
  if (sel && sel.rangeCount > 0 && !sel.isCollapsed && sel.toString().trim() !== '') {
    const range = sel.getRangeAt(0)
    const before = document.createRange()
    before.setStart(document.body, 0)
    before.setEnd(range.startContainer, range.startOffset)
    const after = document.createRange()
    after.setStart(range.endContainer, range.endOffset)
    after.setEnd(document.body, document.body.childNodes.length)
    selection = {
      exact: sel.toString(),
      prefix: before.toString().slice(-200),
      suffix: after.toString().slice(0, 200)
    }
  }
  return {
    url: location.href,
    title: document.title,
    html: document.documentElement.outerHTML,
    selection
  }
}

async function capture(tab) {
  const [frame] = await ext.scripting.executeScript({
    target: { tabId: tab.id },
    func: capturePage
  })
  return frame.result
}

async function showWaiting(count) {
  $('waiting').textContent = count ? msg('waiting', String(count)) : msg('waitingNone')
  $('send-now').hidden = !count
  const dropped = await getDropped()
  $('dropped').replaceChildren(
    ...dropped.map((line) => {
      const li = document.createElement('li')
      li.textContent = msg('droppedClip', line)
      return li
    })
  )
}

function fillTargets(targets) {
  const category = $('category')
  const collection = $('collection')
  const keepCategory = category.value
  const keepCollection = collection.value
  category.replaceChildren(new Option(msg('categoryOwn'), ''))
  for (const path of targets?.categories ?? []) {
    category.add(new Option(path.join(' › '), JSON.stringify(path)))
  }
  collection.replaceChildren(new Option(msg('collectionNone'), ''))
  for (const name of targets?.collections ?? []) collection.add(new Option(name, name))
  category.value = keepCategory
  collection.value = keepCollection
  if (category.selectedIndex < 0) category.selectedIndex = 0
  if (collection.selectedIndex < 0) collection.selectedIndex = 0
}

/** Where a clip may go, from Gleaner (names only); the last list when it does not answer. */
async function loadTargets(pairing) {
  fillTargets(await getTargets())
  let response
  try {
    // POST, not GET: Chromium leaves the Origin header (which Gleaner checks) off an
    // extension's GET.
    response = await fetch(`${pairing.endpoint}/targets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pairing.token}` }
    })
  } catch {
    say(msg('notAnswering'))
    return
  }
  if (response.status === 401) {
    await setPairing({ ...pairing, refused: true })
    await show()
    return
  }
  if (!response.ok) {
    say(msg('clipFailed', await errorOf(response)), 'bad')
    return
  }
  const targets = await response.json()
  await setTargets(targets)
  fillTargets(targets)
}

async function sendQueued() {
  const outcome = await ext.runtime.sendMessage({ type: 'flush' })
  await showWaiting(outcome?.waiting ?? 0)
  return outcome
}

function describe(answer) {
  const lines = [
    msg(
      answer.status === 'duplicate' || answer.status === 'unchanged' ? 'clipDuplicate' : 'clipDone',
      answer.title
    )
  ]
  if (answer.highlight === 'anchored') lines.push(msg('highlightAdded'))
  if (answer.highlight === 'existing') lines.push(msg('highlightExisting'))
  if (answer.highlight === 'not-found') lines.push(msg('highlightNotFound'))
  if (answer.collection?.outcome === 'added')
    lines.push(msg('collectionAdded', answer.collection.name))
  if (answer.collection?.outcome === 'not-found')
    lines.push(msg('collectionMissing', answer.collection.name))
  if (answer.status === 'in-trash') lines.push(...answer.notes)
  return lines.join('\n')
}

async function clip(tab) {
  const button = $('clip-button')
  button.disabled = true
  say(msg('clipping'))
  try {
    let page
    try {
      page = await capture(tab)
    } catch (e) {
      say(msg('captureFailed', String(e?.message ?? e)), 'bad')
      return
    }
    if (new TextEncoder().encode(page.html).length > MAX_CLIP_BYTES) {
      say(msg('tooLarge'), 'bad')
      return
    }
    const category = $('category').value
    const collection = $('collection').value
    const outcome = await ext.runtime.sendMessage({
      type: 'clip',
      clip: {
        ...page,
        ...(category ? { categoryPath: JSON.parse(category) } : {}),
        ...(collection ? { collection } : {}),
        clippedAt: new Date().toISOString()
      }
    })
    await showWaiting(outcome?.waiting ?? 0)
    const result = outcome?.results?.[outcome.id]
    if (result?.ok) say(describe(result.answer), 'good')
    else if (result) say(msg('clipFailed', result.error), 'bad')
    else if ((await getPairing())?.refused) await show()
    else say(msg('clipQueued'))
  } finally {
    button.disabled = false
  }
}

async function pair(event) {
  event.preventDefault()
  const endpoint = loopbackEndpoint($('endpoint').value)
  if (!endpoint) {
    say(msg('endpointLoopback'), 'bad')
    return
  }
  say(msg('pairing'))
  let response
  try {
    response = await fetch(`${endpoint}/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: $('code').value })
    })
  } catch {
    say(msg('notAnswering'), 'bad')
    return
  }
  if (!response.ok) {
    say(msg('pairFailed', await errorOf(response)), 'bad')
    return
  }
  const { token } = await response.json()
  await setPairing({ endpoint, token })
  await clearDropped()
  $('code').value = ''
  say(msg('paired'), 'good')
  await show()
}

let tab = null

/** Shows pairing or clipping, as the stored pairing says. */
async function show() {
  const pairing = await getPairing()
  const paired = pairing !== null && !pairing.refused
  $('pair').hidden = paired
  $('clip').hidden = !paired
  $('forget').hidden = pairing === null
  $('endpoint').value = pairing?.endpoint ?? DEFAULT_ENDPOINT
  $('paired-with').hidden = !paired
  $('paired-with').textContent = paired ? msg('pairedWith', pairing.endpoint) : ''
  if (pairing?.refused) say(msg('unpaired'), 'bad')
  if (!paired) return
  await loadTargets(pairing)
  await sendQueued()
}

async function start() {
  translate()
  $('pair').addEventListener('submit', (e) => void pair(e))
  $('clip').addEventListener('submit', (e) => {
    e.preventDefault()
    if (tab) void clip(tab)
  })
  $('send-now').addEventListener('click', () => void sendQueued())
  $('forget').addEventListener('click', async () => {
    await setPairing(null)
    say('')
    await show()
  })
  tab = await targetTab()
  $('page-title').textContent = tab?.title ?? ''
  try {
    const [frame] = await ext.scripting.executeScript({
      target: { tabId: tab.id },
      func: () => (window.getSelection()?.toString().trim() ?? '') !== ''
    })
    $('selection').textContent = msg(frame.result ? 'selectionSome' : 'selectionNone')
  } catch (e) {
    $('selection').textContent = msg('captureFailed', String(e?.message ?? e))
    $('clip-button').disabled = true
  }
  await show()
  document.body.dataset.ready = 'true'
}

void start()
