// A write of an item based on the version a form read (If-Match), and what
// a 412 means for the form: who changed the item when, both versions and
// what was waiting to be written (`pending`), for ConflictPanel — to write
// it again on the current version or discard it. Used by the progress form
// and the item edit form.
import { ref, type Ref } from 'vue'
import { ApiError } from '../api/client'
import { conflictOf } from '../api/items'
import type { Conflict } from '../api/itemTypes'
import type { LedgerItem } from '../api/types'

export type PendingConflict<P> = Conflict & { pending: P }

export function useConflict<P>(item: () => LedgerItem): {
  conflict: Ref<PendingConflict<P> | null>
  error: Ref<string>
  attempt: (pending: P, write: () => Promise<unknown>) => Promise<boolean>
} {
  const conflict = ref<PendingConflict<P> | null>(null) as Ref<PendingConflict<P> | null>
  const error = ref('')

  // Runs `write`. Written: the conflict is over, true. A 412: the conflict
  // with `pending`, scrolled into view. Another refusal: its message in
  // `error` (not for a 401, which sends to the login page). False then.
  async function attempt(pending: P, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write()
      conflict.value = null
      return true
    } catch (e) {
      const refused = conflictOf(e, item())
      if (refused) {
        conflict.value = { ...refused, pending }
        requestAnimationFrame(() =>
          document.querySelector('[data-test="conflict"]')?.scrollIntoView({ block: 'start', behavior: 'smooth' }),
        )
      } else if (!(e instanceof ApiError && e.status === 401)) {
        error.value = e instanceof ApiError ? e.message : '保存失败，请稍后再试。'
      }
      return false
    }
  }

  return { conflict, error, attempt }
}
