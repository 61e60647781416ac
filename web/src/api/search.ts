// 全文检索 (GET /api/v1/search): report sentences, items, progress notes and
// findings the account may read, with facets and the words marked.
import { query, request } from './client'

export type SearchKind = 'sentence' | 'item' | 'progress' | 'finding'

export interface SearchPart {
  text: string
  hit: boolean
}

export interface SearchHit {
  kind: SearchKind
  kind_label: string
  text: string
  parts: SearchPart[]
  unit: string
  year: number
  subkind: string
  subkind_label: string
  section_kind: string
  section_label: string
  report_id?: number
  report_title?: string
  file?: string
  line?: number
  column?: number
  item_id?: number
  progress_id?: number
  date?: string
  review?: string
  status?: string
}

export interface FacetCount {
  value: string
  label: string
  count: number
}

export interface SearchResponse {
  query: string
  total: number
  // true: total and facet counts are estimates (very many hits)
  estimated?: boolean
  offset: number
  limit: number
  hits: SearchHit[]
  facets: {
    unit: FacetCount[]
    year: FacetCount[]
    kind: FacetCount[]
    subkind: FacetCount[]
    section_kind: FacetCount[]
  }
}

export interface SearchParams {
  q: string
  unit?: string
  year?: string
  kind?: string
  subkind?: string
  section_kind?: string
  offset?: number
  limit?: number
}

export function search(params: SearchParams): Promise<SearchResponse> {
  return request<SearchResponse>('GET', `/api/v1/search${query({ ...params })}`)
}
