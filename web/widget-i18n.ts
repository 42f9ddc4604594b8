import type { LanguageCode } from '../src/shared/chat-protocol.js';
/**
 * Every string the learner sees, in Chinese and English. Kept in one table so both languages always have the same
 * keys (the `satisfies` check fails the build when one is missing).
 */

export type WidgetLanguage = LanguageCode;

export interface WidgetStrings {
  readonly defaultTitle: string;
  readonly defaultGreeting: string;
  readonly openChat: string;
  readonly closeChat: string;
  readonly newConversation: string;
  readonly inputLabel: string;
  readonly inputPlaceholder: string;
  readonly send: string;
  readonly inputHint: string;
  readonly you: string;
  readonly tutor: string;
  readonly thinking: string;
  readonly answering: string;
  readonly modeOffline: string;
  readonly modeFallback: string;
  readonly modeLlm: string;
  readonly notCovered: string;
  readonly searchedFor: string;
  readonly followUps: string;
  readonly sourceLabel: (marker: number, title: string) => string;
  readonly sourceCardTitle: string;
  readonly closeSource: string;
  readonly openSource: string;
  readonly offline: string;
  readonly reconnected: string;
  readonly retry: string;
  readonly editQuestion: string;
  readonly restoring: string;
  readonly errorRateLimited: (retryAfterSeconds: number | undefined) => string;
  readonly errorTooLong: (maxCharacters: number | undefined) => string;
  readonly errorBusy: string;
  readonly errorTimeout: string;
  readonly errorNotReady: string;
  readonly errorOrigin: string;
  readonly errorConnectionLost: string;
  readonly errorGeneric: string;
  readonly errorOfflineSend: string;
  // Tutor modes
  readonly simpler: string;
  readonly analogy: string;
  /**
   * This language's own name, on the button that asks for an answer in it. The learner's bubble of an "explain
   * differently" turn reads "<simpler | analogy | this name>: <the earlier question>".
   */
  readonly languageName: string;
  readonly helpful: string;
  readonly notHelpful: string;
  readonly feedbackReason: string;
  readonly feedbackPassage: string;
  readonly feedbackWhole: string;
  readonly feedbackThanks: string;
  readonly quizMe: string;
  readonly quizTitle: string;
  readonly quizNeedsAnswer: string;
  readonly quizAnswerLabel: string;
  readonly quizCheck: string;
  readonly quizAgain: string;
  readonly quizVerdicts: { readonly right: string; readonly partial: string; readonly wrong: string };
  readonly progressCount: (covered: number, total: number) => string;
  readonly progressNext: string;
  // Second round: history, starters, copy, stop, times, expand
  readonly stop: string;
  readonly stopped: string;
  readonly copy: string;
  readonly copied: string;
  readonly sources: string;
  readonly source: string;
  readonly didYouMean: string;
  readonly newChatStarted: string;
  readonly undo: string;
  readonly recentChats: string;
  /** The header button's short visible label (the menu and the tooltip keep `recentChats`). */
  readonly historyButton: string;
  /**
   * Heading of the aligned rendering of a cited passage, shown above the original, by the rendering's language: a
   * Chinese widget reading an English answer shows an English rendering, which it must not call 中文译文.
   */
  readonly renderingHeading: Readonly<Record<WidgetLanguage, string>>;
  /** Heading of the original passage when its rendering is shown above it. */
  readonly originalHeading: string;
  readonly noRecentChats: string;
  readonly untitledChat: string;
  readonly starters: string;
  readonly expand: string;
  readonly shrink: string;
  readonly unread: (count: number) => string;
}

const zh: WidgetStrings = {
  defaultTitle: '学习助手',
  defaultGreeting: '你好！关于这篇文章有什么想问的吗？我会引用原文回答你。',
  openChat: '打开学习助手',
  closeChat: '关闭',
  newConversation: '新对话',
  inputLabel: '你的问题',
  inputPlaceholder: '输入你的问题…',
  send: '发送',
  inputHint: 'Enter 发送，Shift+Enter 换行',
  you: '你',
  tutor: '助手',
  thinking: '正在查找原文…',
  answering: '助手正在回答…',
  modeOffline: '摘自文章原文',
  modeFallback: '模型暂时不可用，以下内容摘自文章原文',
  modeLlm: '由模型根据文章撰写',
  notCovered: '文章没有涉及这个问题',
  searchedFor: '检索：',
  followUps: '你还可以问',
  sourceLabel: (marker, title) => `来源 ${marker}：${title}`,
  sourceCardTitle: '引用的原文',
  closeSource: '关闭原文',
  openSource: '查看出处',
  offline: '网络已断开，正在重新连接…',
  reconnected: '已重新连接。',
  retry: '重试',
  editQuestion: '修改问题',
  restoring: '正在恢复之前的对话…',
  errorRateLimited: (seconds) => (seconds === undefined ? '提问太频繁了，请稍等片刻再试。' : `提问太频繁了，请等 ${seconds} 秒再试。`),
  errorTooLong: (max) => (max === undefined ? '问题太长了，请缩短后再发送。' : `问题太长了（最多 ${max} 个字），请缩短后再发送。`),
  errorBusy: '上一个问题还在回答中，请稍候。',
  errorTimeout: '回答超时了，请重试。',
  errorNotReady: '助手还在启动，请稍后再试。',
  errorOrigin: '此网站未被允许使用这个助手。',
  errorConnectionLost: '连接中断，回答没有完成。',
  errorGeneric: '出了点问题，回答没有完成。',
  errorOfflineSend: '现在离线，联网后再发送。',
  simpler: '更简单',
  analogy: '用比喻',
  languageName: '用中文',
  helpful: '有帮助',
  notHelpful: '没有帮助',
  feedbackReason: '哪里不好？（可选）',
  feedbackPassage: '关于哪段原文',
  feedbackWhole: '整个回答',
  feedbackThanks: '谢谢你的反馈！',
  quizMe: '考考我',
  quizTitle: '小测验',
  quizNeedsAnswer: '先提个问题，我再考你。',
  quizAnswerLabel: '你的答案',
  quizCheck: '提交',
  quizAgain: '再来一题',
  quizVerdicts: { right: '答对了！', partial: '部分正确', wrong: '答错了' },
  progressCount: (covered, total) => `已学 ${covered}/${total} 个概念`,
  progressNext: '下一个：',
  stop: '停止',
  stopped: '已停止',
  copy: '复制',
  copied: '已复制',
  sources: '来源',
  source: '出处',
  didYouMean: '你是不是想问：',
  newChatStarted: '已开始新对话。',
  undo: '撤销',
  recentChats: '最近的对话',
  historyButton: '最近的对话',
  renderingHeading: { zh: '中文译文', en: '英文译文' },
  originalHeading: '原文',
  noRecentChats: '还没有其他对话。',
  untitledChat: '（未命名的对话）',
  starters: '可以这样开始',
  expand: '放大',
  shrink: '缩小',
  unread: (count) => `打开学习助手（${count} 条新回答）`,
};

const en: WidgetStrings = {
  defaultTitle: 'Study helper',
  defaultGreeting: 'Hi! Ask me anything about this article — I answer with quotes from it.',
  openChat: 'Open the study helper',
  closeChat: 'Close',
  newConversation: 'New chat',
  inputLabel: 'Your question',
  inputPlaceholder: 'Ask a question…',
  send: 'Send',
  inputHint: 'Enter to send, Shift+Enter for a new line',
  you: 'You',
  tutor: 'Tutor',
  thinking: 'Looking through the article…',
  answering: 'The tutor is answering…',
  modeOffline: 'Quoted from the article',
  modeFallback: 'The model was unavailable, so this is quoted from the article',
  modeLlm: 'Written by the model from the article',
  notCovered: 'The article does not cover this',
  searchedFor: 'Searched for: ',
  followUps: 'You could also ask',
  sourceLabel: (marker, title) => `Source ${marker}: ${title}`,
  sourceCardTitle: 'Cited passage',
  closeSource: 'Close passage',
  openSource: 'Open the source',
  offline: 'You are offline. Reconnecting…',
  reconnected: 'Back online.',
  retry: 'Try again',
  editQuestion: 'Edit the question',
  restoring: 'Restoring your conversation…',
  errorRateLimited: (seconds) =>
    seconds === undefined
      ? 'You are asking a little too fast. Please wait a moment and try again.'
      : `You are asking a little too fast. Please wait ${seconds} seconds and try again.`,
  errorTooLong: (max) =>
    max === undefined
      ? 'That question is too long. Please shorten it and send it again.'
      : `That question is too long (at most ${max} characters). Please shorten it and send it again.`,
  errorBusy: 'The previous question is still being answered. Please wait a moment.',
  errorTimeout: 'The answer took too long. Please try again.',
  errorNotReady: 'The tutor is still starting up. Please try again shortly.',
  errorOrigin: 'This website is not allowed to use this tutor.',
  errorConnectionLost: 'The connection dropped before the answer was finished.',
  errorGeneric: 'Something went wrong and the answer was not finished.',
  errorOfflineSend: 'You are offline. Send it again when the connection is back.',
  simpler: 'Simpler',
  analogy: 'Analogy',
  languageName: 'English',
  helpful: 'Helpful',
  notHelpful: 'Not helpful',
  feedbackReason: 'What was wrong? (optional)',
  feedbackPassage: 'About which passage',
  feedbackWhole: 'The whole answer',
  feedbackThanks: 'Thanks for the feedback!',
  quizMe: 'Quiz me',
  quizTitle: 'Quiz',
  quizNeedsAnswer: 'Ask something first, then I can quiz you.',
  quizAnswerLabel: 'Your answer',
  quizCheck: 'Check',
  quizAgain: 'Another question',
  quizVerdicts: { right: 'Right!', partial: 'Partly right', wrong: 'Wrong' },
  progressCount: (covered, total) => `${covered}/${total} concepts covered`,
  progressNext: 'Next: ',
  stop: 'Stop',
  stopped: 'Stopped',
  copy: 'Copy',
  copied: 'Copied',
  sources: 'Sources',
  source: 'Source',
  didYouMean: 'Did you mean: ',
  newChatStarted: 'New chat started.',
  undo: 'Undo',
  recentChats: 'Recent chats',
  historyButton: 'History',
  renderingHeading: { en: 'In English (the article’s rendering)', zh: 'In Chinese (the article’s rendering)' },
  originalHeading: 'Original',
  noRecentChats: 'No other chats yet.',
  untitledChat: '(untitled chat)',
  starters: 'Try asking',
  expand: 'Expand',
  shrink: 'Shrink',
  unread: (count) => `Open the study helper (${count} new ${count === 1 ? 'answer' : 'answers'})`,
};

const tables = { zh, en } satisfies Record<WidgetLanguage, WidgetStrings>;

export function stringsFor(language: WidgetLanguage): WidgetStrings {
  return tables[language];
}

/**
 * `zh` for any Chinese browser locale (zh, zh-CN, zh-TW, ...), otherwise `en`: the two languages the tutor answers in.
 */
export function languageFromBrowser(languages: readonly string[]): WidgetLanguage {
  for (const language of languages) {
    const normalized = language.toLowerCase();
    if (normalized.startsWith('zh')) return 'zh';
    if (normalized.startsWith('en')) return 'en';
  }
  return 'en';
}

/** `zh` when a text is mostly Chinese (a few CJK characters against the Latin letters), else `en`. */
export function languageOfText(text: string): WidgetLanguage {
  const cjk = text.match(/[\u3400-\u9fff\uf900-\ufaff]/g)?.length ?? 0;
  const latin = text.match(/[a-z]/gi)?.length ?? 0;
  return cjk >= 2 && cjk * 2 >= latin / 3 ? 'zh' : 'en';
}

/**
 * "3 minutes ago" / "3分钟前" for a moment before `now` (seconds round to "now"), in the learner's language.
 * Falls back to a short date after a week.
 */
export function relativeTime(at: Date, now: Date, language: WidgetLanguage): string {
  const locale = language === 'zh' ? 'zh-CN' : 'en';
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return format.format(0, 'second');
  if (abs < 45 * 60) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour');
  if (abs < 7 * 86_400) return format.format(Math.round(seconds / 86_400), 'day');
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(at);
}
