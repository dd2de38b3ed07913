// Long runs on the library other than imports (re-cleaning, rebuilding the search index): each
// gets an id, a way to be stopped, and progress events that every window hears (the window that
// started one knows it by its clientId), like an import run.
import type { TaskKind, TaskProgress } from '../shared/types'

export interface Task {
  readonly id: number
  readonly signal: AbortSignal
  progress(done: number, total: number): void
  /** The last event: the run ended, whole or stopped part-way by a cancel. */
  finish(done: number, total: number, cancelled: boolean): void
}

export interface TaskRegistry {
  start(kind: TaskKind, clientId?: string): Task
  cancel(id: number): void
  /** Stops every running task (the service is closing). */
  cancelAll(): void
}

export function createTaskRegistry(emit: (p: TaskProgress) => void): TaskRegistry {
  let nextId = 1
  const running = new Map<number, AbortController>()
  return {
    start(kind, clientId) {
      const id = nextId++
      const controller = new AbortController()
      running.set(id, controller)
      const event = (
        done: number,
        total: number,
        finished: boolean,
        cancelled = false
      ): TaskProgress => ({
        taskId: id,
        kind,
        done,
        total,
        finished,
        cancelled,
        ...(clientId !== undefined ? { clientId } : {})
      })
      return {
        id,
        signal: controller.signal,
        progress: (done, total) => emit(event(done, total, false)),
        finish: (done, total, cancelled) => {
          running.delete(id)
          emit(event(done, total, true, cancelled))
        }
      }
    },
    cancel(id) {
      running.get(id)?.abort()
    },
    cancelAll() {
      for (const c of running.values()) c.abort()
    }
  }
}
