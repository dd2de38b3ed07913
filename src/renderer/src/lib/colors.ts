// The highlight palette's names, for labels in both languages (the swatches' colours are CSS).
import type { AnnotationColor } from '../../../shared/annotation-types'
import type { MessageKey } from './i18n.svelte'

export const COLOR_KEYS: Record<AnnotationColor, MessageKey> = {
  yellow: 'colorYellow',
  green: 'colorGreen',
  blue: 'colorBlue',
  pink: 'colorPink',
  purple: 'colorPurple'
}
