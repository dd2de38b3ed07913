// Annotations: W3C selectors over clean text, anchoring that survives re-cleaning, storage, export.
export { anchorSelectors, describeRange, CONTEXT_CHARS, MIN_CONFIDENCE } from './anchoring'
export {
  AnnotationError,
  anchorStateOf,
  setAnchor,
  confirmAnchor,
  createAnnotation,
  createAnnotationFromQuote,
  createArticleNote,
  createHighlight,
  deleteAnnotation,
  getAnnotation,
  listAllAnnotations,
  listAnnotations,
  listNeedsReview,
  reanchorArticle,
  reattachAnnotation,
  restoreAnnotation,
  updateAnnotation
} from './repository'
export type { AnchorState, AnnotationErrorCode, QuoteOptions } from './repository'
export {
  annotationIdsMatching,
  annotationTags,
  queryAnnotations,
  DEFAULT_ANNOTATION_PAGE
} from './list'
export { articleIriFor, toW3CAnnotation, toW3CCollection, ANNO_CONTEXT } from './w3c'
export type { W3CAnnotation, W3CCollection } from './w3c'
