// The clipper's background worker (a service worker in Chromium, an event page in Firefox):
// takes clips from the popup into the queue and sends what waits, now and on a timer, and when
// the browser starts, so a clip made while Gleaner was closed arrives once it runs.
import { enqueue, flush } from './lib/queue.js'
import { ext } from './lib/store.js'

const ALARM = 'gleaner-send-queue'

ext.runtime.onInstalled.addListener(() => {
  void ext.alarms.create(ALARM, { periodInMinutes: 1 })
  void flush()
})
ext.runtime.onStartup.addListener(() => {
  void ext.alarms.create(ALARM, { periodInMinutes: 1 })
  void flush()
})
ext.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM) void flush()
})

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  // Only the extension's own pages talk to it.
  if (sender.id !== ext.runtime.id || !message || typeof message.type !== 'string') return false
  if (message.type === 'clip') {
    enqueue(message.clip)
      .then(async (id) => ({ id, ...(await flush()) }))
      .then(sendResponse, (e) => sendResponse({ error: String(e) }))
    return true
  }
  if (message.type === 'flush') {
    flush().then(sendResponse, (e) => sendResponse({ error: String(e) }))
    return true
  }
  return false
})
