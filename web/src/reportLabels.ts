// The Chinese words of the report and comparison API's English values
// (src/outline, src/check, src/compare), for the 报告 and 对标对表 pages.
import type { ReportKind, Severity, SourceFormat, Verdict } from './api/types'

export const reportKindLabels: Record<ReportKind, string> = {
  summary: '工作总结',
  plan: '工作计划',
  'summary+plan': '总结和计划',
  government_work_report: '政府工作报告',
  other: '其他',
}

export const formatLabels: Record<SourceFormat, string> = {
  text: '文本',
  docx: 'Word',
  pdf: 'PDF',
  doc: '旧版 Word',
}

export const severityLabels: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' }

export const severityTagTypes: Record<Severity, 'danger' | 'warning' | 'info'> = {
  error: 'danger',
  warning: 'warning',
  info: 'info',
}

// Relation families (src/check/check.h Relation::family).
export const relationFamilyLabels: Record<string, string> = {
  sum: '合计与分项',
  'part-whole': '部分与整体',
  'unit-sum': '不同单位的分项之和',
  remainder: '已完成与剩余',
  rate: '比率与数量',
  enumeration: '列举项数',
  'rate-ceiling': '比率不超过100%',
  change: '增减额与幅度',
  comparison: '比较用语',
  contradiction: '前后数字',
}

export const relationStatusLabels: Record<string, string> = {
  consistent: '一致',
  inconsistent: '不一致',
  not_checkable: '无法核对',
}

export const relationTagTypes: Record<string, 'success' | 'danger' | 'info'> = {
  consistent: 'success',
  inconsistent: 'danger',
  not_checkable: 'info',
}

export const sectionKindLabels: Record<string, string> = {
  summary: '总结',
  highlights: '亮点',
  problems: '问题',
  plan: '计划',
  appendix: '附录',
}

export const relatedNoteFallback = '相关数字'

// Verdicts (src/compare): the labels come with the API's items
// (verdict_label); these are the colours and the order of the counts.
export const verdictOrder: Verdict[] = [
  'exceeded',
  'met',
  'done',
  'in_progress',
  'missed',
  'not_reported',
  'not_mentioned',
  'unclear',
]

export const verdictLabels: Record<Verdict, string> = {
  exceeded: '超过目标',
  met: '达到目标',
  missed: '未达目标',
  not_reported: '未报告',
  done: '已完成',
  in_progress: '推进中',
  not_mentioned: '未提及',
  unclear: '无法判定',
}

export const verdictTagTypes: Record<Verdict, 'success' | 'primary' | 'warning' | 'danger' | 'info'> = {
  exceeded: 'success',
  met: 'success',
  done: 'success',
  in_progress: 'primary',
  missed: 'danger',
  not_reported: 'warning',
  not_mentioned: 'warning',
  unclear: 'info',
}

// "12345" → "12.1 KB".
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
