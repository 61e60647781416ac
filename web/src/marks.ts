// Marking places in a text shown line by line: the report view marks
// findings, their related figures and the figures of relations; the
// comparison marks the evidence in the result's text. A place runs from
// (line, column) to just before (end line, end column), columns counted in
// characters (Unicode code points) from 1, as the API gives them. Each line
// becomes segments, each with the marks covering it, so overlapping places
// (a figure inside a finding's sentence) show both.

export interface Place {
  line: number
  column: number
  endLine: number
  endColumn: number
}

export interface Mark<T = unknown> {
  place: Place
  classes: string[]
  data: T
}

export interface Segment<T = unknown> {
  text: string
  marks: Mark<T>[]
  // Where the segment starts in its line (0-based characters).
  offset: number
}

export interface ShownLine<T = unknown> {
  line: number
  segments: Segment<T>[]
}

// A place of zero width is shown as the character it stands before (or the
// last one of its line), so that every place can be seen and clicked.
function range(place: Place, line: number, length: number): [number, number] | null {
  if (line < place.line || line > place.endLine) return null
  const zeroWidth = place.line === place.endLine && place.column === place.endColumn
  let begin = line === place.line ? place.column - 1 : 0
  let end = line === place.endLine ? place.endColumn - 1 : length
  begin = Math.max(0, Math.min(begin, length))
  end = Math.max(begin, Math.min(end, length))
  if (begin < end) return [begin, end]
  // A wider place that only touches this line's edge has nothing here.
  if (!zeroWidth || length === 0) return null
  return begin < length ? [begin, begin + 1] : [length - 1, length]
}

export function markLines<T>(lines: { line: number; text: string }[], marks: Mark<T>[]): ShownLine<T>[] {
  // The marks by the lines they touch.
  const byLine = new Map<number, Mark<T>[]>()
  for (const m of marks) {
    for (let l = m.place.line; l <= m.place.endLine; ++l) {
      const list = byLine.get(l)
      if (list) list.push(m)
      else byLine.set(l, [m])
    }
  }
  return lines.map(({ line, text }) => {
    const here = byLine.get(line)
    if (!here) return { line, segments: [{ text, marks: [], offset: 0 }] }
    const chars = Array.from(text)
    const ranges: { mark: Mark<T>; begin: number; end: number }[] = []
    const cuts = new Set<number>([0, chars.length])
    for (const mark of here) {
      const r = range(mark.place, line, chars.length)
      if (!r) continue
      ranges.push({ mark, begin: r[0], end: r[1] })
      cuts.add(r[0])
      cuts.add(r[1])
    }
    const points = [...cuts].sort((a, b) => a - b)
    const segments: Segment<T>[] = []
    for (let k = 0; k + 1 < points.length; ++k) {
      const [a, b] = [points[k], points[k + 1]]
      if (a === b) continue
      segments.push({
        text: chars.slice(a, b).join(''),
        marks: ranges.filter((r) => r.begin <= a && r.end >= b).map((r) => r.mark),
        offset: a,
      })
    }
    if (segments.length === 0) segments.push({ text, marks: [], offset: 0 })
    return { line, segments }
  })
}

// A text as numbered lines, the first numbered `first`; `offsets` turns a
// character offset into the text into a line and column.
export function splitLines(text: string, first: number): {
  lines: { line: number; text: string }[]
  at: (offset: number) => { line: number; column: number }
} {
  const chars = Array.from(text)
  const starts: number[] = [0]
  for (let i = 0; i < chars.length; ++i) if (chars[i] === '\n') starts.push(i + 1)
  const lines = starts.map((s, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] - 1 : chars.length
    return { line: first + k, text: chars.slice(s, end).join('').replace(/\r$/, '') }
  })
  const at = (offset: number) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: first + lo, column: offset - starts[lo] + 1 }
  }
  return { lines, at }
}
