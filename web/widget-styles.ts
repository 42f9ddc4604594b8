/**
 * The widget's whole stylesheet, applied inside its shadow root. `:host { all: initial }` cuts off inherited host
 * styles and `.root` sets every inherited property it relies on, so a host page's fonts, colours or line heights
 * never leak in; nothing here can match outside the shadow root, so nothing leaks out.
 */
export const WIDGET_CSS = `
:host{all:initial;display:block}
:host([hidden]){display:none}
:host(:not([mode=floating])){height:560px;max-width:100%}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.root{
  --p:var(--tutor-primary,#2563eb);
  --p-fg:#fff;
  --bg:#fff;--bg-soft:#f3f5f9;--bg-sunk:#eef1f6;--fg:#1d2330;--fg-muted:#5d6678;--border:#e1e5ee;
  --mark:rgba(250,204,21,.42);--ok:#15803d;--danger:#b42318;--danger-bg:#fef3f2;--warn:#8a5a00;--warn-bg:#fff7e0;
  --shadow:0 12px 40px rgba(15,23,42,.18),0 2px 8px rgba(15,23,42,.08);
  --radius:16px;
  font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",Roboto,sans-serif;
  font-size:15px;line-height:1.6;font-weight:400;font-style:normal;color:var(--fg);
  letter-spacing:normal;word-spacing:normal;text-align:start;text-transform:none;text-indent:0;text-shadow:none;
  white-space:normal;direction:ltr;visibility:visible;cursor:auto;
  -webkit-text-size-adjust:100%;text-size-adjust:100%;-webkit-font-smoothing:antialiased;
  height:100%;
}
@media (prefers-color-scheme:dark){
  .root{--bg:#151922;--bg-soft:#1f2430;--bg-sunk:#1a1e28;--fg:#e7eaf1;--fg-muted:#a1aabb;--border:#2e3442;
    --mark:rgba(250,204,21,.3);--ok:#86efac;--danger:#fda29b;--danger-bg:#3a1a17;--warn:#fdd98a;--warn-bg:#3a2e12;
    --shadow:0 12px 40px rgba(0,0,0,.5),0 2px 8px rgba(0,0,0,.3)}
}
button,textarea,input,select{font:inherit;color:inherit;letter-spacing:inherit}
button{cursor:pointer;-webkit-tap-highlight-color:transparent}
:focus-visible{outline:2px solid var(--p);outline-offset:2px}
.icon{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none}
.sr-only{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}

.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483000;display:inline-flex;align-items:center;gap:8px;
  min-height:52px;padding:0 20px 0 16px;border:0;border-radius:999px;background:var(--p);color:var(--p-fg);
  font-size:15px;font-weight:600;box-shadow:var(--shadow);transition:transform .15s ease,box-shadow .15s ease}
.launcher:hover{transform:translateY(-1px)}
.launcher .unread{top:-6px;right:-6px}
.launcher .icon{width:22px;height:22px}
.root[data-position=bottom-left] .launcher{right:auto;left:20px}

.panel{display:flex;flex-direction:column;background:var(--bg);color:var(--fg);overflow:hidden;position:relative}
.root[data-mode=inline] .panel{height:100%;min-height:360px;border:1px solid var(--border);border-radius:var(--radius)}
.root[data-mode=floating] .panel{position:fixed;z-index:2147483001;bottom:20px;right:20px;
  width:min(420px,calc(100vw - 40px));height:min(680px,calc(100vh - 40px));border-radius:var(--radius);
  box-shadow:var(--shadow);border:1px solid var(--border);animation:tutor-rise .18s ease-out}
.root[data-mode=floating][data-position=bottom-left] .panel{right:auto;left:20px}
@media (min-width:900px){
  .root[data-mode=floating] .panel[data-card=open]{width:min(800px,calc(100vw - 40px))}
  .root[data-mode=floating] .panel[data-expanded=true]{width:min(760px,calc(100vw - 40px));height:calc(100vh - 40px)}
  .root[data-mode=floating] .panel[data-expanded=true][data-card=open]{width:min(1160px,calc(100vw - 40px))}
}
.unread{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;
  font-size:12px;font-weight:700;line-height:22px;text-align:center;box-shadow:0 0 0 2px var(--bg)}
@keyframes tutor-rise{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}

.header{display:flex;align-items:center;gap:2px;padding:6px 6px 6px 16px;background:var(--p);color:var(--p-fg);flex:none}
.title{flex:1;min-width:4.5em;margin:0;font-size:16px;font-weight:600;line-height:1.3;overflow:hidden;overflow-wrap:break-word;
  display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2}
.header-button{display:inline-flex;flex-direction:column;align-items:center;justify-content:center;gap:1px;min-width:48px;height:48px;
  padding:2px 5px;border:0;border-radius:10px;background:transparent;color:inherit;font-size:11px;font-weight:500;line-height:1.2;white-space:nowrap}
.header-button:hover{background:rgba(255,255,255,.16)}
.header-button:focus-visible{outline-color:var(--p-fg);outline-offset:-3px}
.header-button[aria-pressed=true]{color:inherit;background:rgba(255,255,255,.22)}

.status{display:flex;align-items:center;gap:8px;padding:8px 16px;font-size:13px;background:var(--warn-bg);color:var(--warn);flex:none}
.status[data-kind=ok]{background:var(--bg-soft);color:var(--fg-muted)}
.status .icon{width:16px;height:16px}

.log{position:relative;flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:16px 14px 8px;display:flex;flex-direction:column;gap:14px}
.turn{display:flex;flex-direction:column;gap:10px}
.msg{max-width:88%;overflow-wrap:anywhere}
.msg-user{align-self:flex-end;background:var(--p);color:var(--p-fg);padding:9px 14px;border-radius:18px 18px 4px 18px;white-space:pre-wrap}
.msg-tutor{align-self:flex-start;background:var(--bg-soft);padding:10px 14px;border-radius:18px 18px 18px 4px;display:flex;flex-direction:column;gap:8px;min-width:0}
.greeting{align-self:flex-start}
.msg-tutor>p{margin:0}

.badge{display:inline-flex;align-items:center;gap:6px;align-self:flex-start;font-size:12px;font-weight:500;line-height:1.4;color:var(--fg-muted);
  padding:2px 8px 2px 6px;border-radius:999px;background:var(--bg-sunk)}
.badge .icon{width:14px;height:14px}
.badge[data-kind=fallback]{background:var(--warn-bg);color:var(--warn)}
.notice{margin:0;font-size:13px;color:var(--warn)}

.answer{min-width:0}
.answer>:first-child{margin-top:0}
.answer>:last-child{margin-bottom:0}
.answer p,.answer ul,.answer ol,.answer pre,.answer blockquote,.answer table{margin:0 0 .6em}
.answer ul,.answer ol{padding-inline-start:1.4em}
.answer li+li{margin-top:.2em}
.answer h1,.answer h2,.answer h3,.answer h4,.answer h5,.answer h6{font-size:1em;font-weight:650;margin:.7em 0 .3em;line-height:1.4}
.answer code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;background:var(--bg-sunk);padding:.1em .35em;border-radius:5px}
.answer pre{overflow-x:auto;background:var(--bg-sunk);padding:10px;border-radius:8px}
.answer pre code{background:none;padding:0}
.answer blockquote{margin-inline:0;padding-inline-start:10px;border-inline-start:3px solid var(--border);color:var(--fg-muted)}
.answer a{color:var(--p);text-underline-offset:2px}
.answer table{border-collapse:collapse;display:block;overflow-x:auto}
.answer th,.answer td{border:1px solid var(--border);padding:4px 8px}
.answer.streaming>:last-child::after{content:"";display:inline-block;width:.5em;height:1em;margin-inline-start:2px;vertical-align:-.12em;
  background:var(--p);opacity:.7;border-radius:2px;animation:tutor-blink 1s steps(2) infinite}
.answer.streaming:empty{display:none}
@keyframes tutor-blink{50%{opacity:0}}

.cite-group{white-space:nowrap}
.chip{display:inline-flex;align-items:center;justify-content:center;min-width:1.6em;height:1.45em;padding:0 .42em;margin:0 .12em;
  vertical-align:.12em;border:1px solid transparent;border-radius:999px;font-size:.74em;font-weight:700;line-height:1;
  background:color-mix(in srgb,var(--p) 14%,transparent);color:var(--p);transition:background .12s ease}
@media (prefers-color-scheme:dark){.chip{background:color-mix(in srgb,var(--p) 30%,transparent);color:#c7d7fe}}
button.chip:hover{background:var(--p);color:var(--p-fg)}
.chip[aria-pressed=true]{background:var(--p);color:var(--p-fg)}
span.chip{opacity:.6}

.typing{display:flex;align-items:center;gap:8px;margin:0;font-size:13px;color:var(--fg-muted)}
.dots{display:inline-flex;gap:3px}
.dots i{width:6px;height:6px;border-radius:50%;background:currentColor;opacity:.35;animation:tutor-dot 1.2s infinite ease-in-out}
.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}
@keyframes tutor-dot{0%,80%,100%{opacity:.25;transform:none}40%{opacity:1;transform:translateY(-2px)}}

.followups{display:flex;flex-direction:column;gap:6px;margin:2px 0 0;padding:0;list-style:none}
.followups-label,.thanks{font-size:12px;color:var(--fg-muted);margin:2px 0 0}
.followup{display:block;width:100%;text-align:start;padding:7px 12px;border:1px solid var(--border);border-radius:12px;background:var(--bg);
  color:var(--fg);font-size:14px;line-height:1.45;transition:border-color .12s ease,background .12s ease}
.followup:hover{border-color:var(--p);background:color-mix(in srgb,var(--p) 6%,var(--bg))}
.meta{display:flex;flex-wrap:wrap;align-items:flex-start;justify-content:space-between;gap:4px 10px;margin:0;font-size:12px;line-height:1.45;color:var(--fg-muted)}
.searched,.corrected{display:flex;align-items:flex-start;gap:5px;min-width:0;overflow-wrap:anywhere}
.corrected{margin:0;font-size:13px;color:var(--fg)}
.searched .icon,.corrected .icon{width:13px;height:13px;margin-top:3px}
.time{margin-inline-start:auto;white-space:nowrap}
.badge[data-kind=stopped]{background:var(--warn-bg);color:var(--warn)}
.copy[data-copied]{color:var(--ok)}
.send.stop{background:var(--fg);color:var(--bg)}
.status-action{margin-inline-start:auto;color:inherit;border-color:currentColor}
.history-list{position:absolute;z-index:4;top:58px;right:8px;width:min(320px,calc(100% - 16px));max-height:60%;overflow-y:auto;padding:8px;
  background:var(--bg);color:var(--fg);border:1px solid var(--border);border-radius:12px;box-shadow:var(--shadow)}
.history-list ul{margin:0;padding:0;list-style:none}
.history-heading,.history-empty{margin:4px 8px 6px;font-size:12px;color:var(--fg-muted)}
.history-item{display:flex;width:100%;align-items:baseline;gap:8px;padding:8px;border:0;border-radius:8px;background:none;text-align:start}
.history-item:hover{background:var(--bg-soft)}
.history-title{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:14px}
.history-time{flex:none;font-size:12px;color:var(--fg-muted)}
.starters{display:flex;flex-direction:column;gap:6px;max-width:88%}
.source-origin{margin:10px 0 0;font-size:12px;color:var(--fg-muted);overflow-wrap:anywhere}

.error{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 10px;border-radius:10px;background:var(--danger-bg);color:var(--danger);font-size:14px}
.error .icon{width:16px;height:16px}
.error-text{flex:1 1 12em;min-width:0}
.retry,.action,.copy{display:inline-flex;align-items:center;gap:6px;padding:5px 12px;border:1px solid currentColor;border-radius:999px;background:transparent;color:inherit;font-size:13px;font-weight:600}
.retry .icon,.action .icon,.copy .icon{width:14px;height:14px}

.source-card{position:relative;z-index:2;flex:0 1 auto;max-height:55%;min-height:0;display:flex;flex-direction:column;background:var(--bg);
  border-top:1px solid var(--border);border-radius:var(--radius) var(--radius) 0 0;box-shadow:0 -10px 30px rgba(15,23,42,.16);animation:tutor-rise .16s ease-out}
.panel:not([data-layout=wide])[data-card=open]>.log{min-height:min(35%,200px)}
.panel[data-layout=wide][data-card=open]{display:grid;grid-template-columns:minmax(0,1fr) minmax(260px,42%);
  grid-template-rows:auto auto auto minmax(0,1fr) auto auto}
.panel[data-layout=wide][data-card=open]>*{grid-column:1}
.panel[data-layout=wide][data-card=open]>.header{grid-column:1/-1;grid-row:1}
.panel[data-layout=wide][data-card=open]>.progress{grid-row:2}
.panel[data-layout=wide][data-card=open]>.status{grid-row:3}
.panel[data-layout=wide][data-card=open]>.log{grid-row:4}
.panel[data-layout=wide][data-card=open]>.composer{grid-row:5}
.panel[data-layout=wide][data-card=open]>.hint{grid-row:6}
.panel[data-layout=wide][data-card=open]>.source-card{grid-column:2;grid-row:2/7;max-height:none;border-top:0;border-inline-start:1px solid var(--border);
  border-radius:0;box-shadow:none;animation:none}
.source-head{display:flex;align-items:center;gap:8px;padding:10px 8px 6px 16px;flex:none}
.source-kicker{flex:1;margin:0;font-size:12px;font-weight:600;letter-spacing:.02em;text-transform:uppercase;color:var(--fg-muted)}
.source-close{display:inline-flex;align-items:center;justify-content:center;width:36px;height:36px;border:0;border-radius:10px;background:transparent;color:var(--fg-muted)}
.source-close:hover{background:var(--bg-soft);color:var(--fg)}
.source-body{position:relative;overflow-y:auto;padding:0 16px 16px;overscroll-behavior:contain}
.source-title{margin:0 0 2px;font-size:15px;font-weight:650;line-height:1.4}
.source-original-title{margin:0 0 4px;font-size:13px;color:var(--fg-muted);line-height:1.4}
.source-path{margin:0 0 8px;font-size:12px;color:var(--fg-muted)}
.source-passage,.source-translation{margin:0;padding:10px 12px;border-radius:10px;background:var(--bg-soft);font-size:14px;line-height:1.7;white-space:pre-wrap;overflow-wrap:anywhere}
.source-context{color:var(--fg-muted)}
.source-subhead{margin:10px 0 4px;font-size:12px;font-weight:600;color:var(--fg-muted)}
.source-passage mark,.source-translation mark,.blank{background:var(--mark);color:inherit;border-radius:3px;padding:.05em 0;box-decoration-break:clone;-webkit-box-decoration-break:clone}
.source-link{display:inline-flex;align-items:center;gap:4px;margin-top:10px;font-size:13px;color:var(--p)}
.source-link .icon{width:14px;height:14px}

.composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px 4px;border-top:1px solid var(--border);background:var(--bg);flex:none}
.input,.field{flex:1;min-width:0;min-height:44px;max-height:9.5em;resize:none;padding:10px 14px;border:1px solid var(--border);border-radius:14px;
  background:var(--bg-soft);font-size:16px;line-height:1.45;overflow-y:auto;outline:none}
.input:focus,.field:focus{border-color:var(--p);box-shadow:0 0 0 3px color-mix(in srgb,var(--p) 22%,transparent);background:var(--bg)}
.input::placeholder,.field::placeholder{color:var(--fg-muted);opacity:1}
.send{display:inline-flex;align-items:center;justify-content:center;width:44px;height:44px;flex:none;border:0;border-radius:50%;background:var(--p);color:var(--p-fg)}
.send:disabled{opacity:.45;cursor:not-allowed}
.hint{margin:0;padding:2px 14px 8px;font-size:11px;color:var(--fg-muted);text-align:end;flex:none}

.progress{flex:none;padding:4px 10px 6px;border-bottom:1px solid var(--border);font-size:12px}
.progress>div,.actions,.thumbs,.feedback-form,fieldset{display:flex;flex-wrap:wrap;align-items:center;gap:6px}
.progress>div{flex-wrap:nowrap}
.progress-toggle{flex:1 0 auto;padding:4px 6px;border:0;background:none;color:var(--fg-muted);text-align:start;white-space:nowrap}
.bar{display:block;height:4px;margin-top:3px;border-radius:2px;background:var(--bg-sunk)}
.bar i{display:block;height:100%;border-radius:2px;background:var(--p)}
.next{flex:0 1 auto;min-width:0;max-width:100%;text-align:start}
.next span{min-width:0;overflow-wrap:anywhere}
.concepts{display:flex;flex-wrap:wrap;gap:4px;max-height:14em;overflow-y:auto;margin:6px 0 0;padding:0;list-style:none}
.concepts li{padding:0 8px;border-radius:9px;background:var(--bg-sunk)}
.actions{gap:4px}
.thumbs{margin-left:auto;gap:4px}
.action,.copy{padding:4px 8px;line-height:1.4;color:var(--fg-muted);font-weight:500}
.copy{padding:5px 6px}
.thumb{padding:5px 6px}
.concepts [data-covered=true],.action:hover,[aria-pressed=true]{color:var(--p)}
.primary{background:var(--p);border-color:var(--p);color:var(--p-fg)!important}
.down .icon{transform:rotate(180deg)}
.next .icon{transform:rotate(90deg)}
.field{min-height:36px;padding:5px 10px;flex-basis:9em}
select.field{flex-basis:100%}
.mode-error{color:var(--danger)}
fieldset{min-width:0;margin:0;padding:0;border:0}
.quiz-options{display:grid;grid-template-columns:repeat(auto-fill,minmax(8em,1fr))}
.quiz-sentence{padding:6px 10px;border-radius:10px;background:var(--bg)}
.quiz,.quiz-result{display:flex;flex-direction:column;gap:8px}
.quiz p{margin:0}
.quiz-result{align-items:flex-start}
.option[data-correct],.badge[data-kind=right]{color:var(--ok);border-color:var(--ok)}
.option[data-chosen=wrong],.badge[data-kind=wrong]{color:var(--danger);border-color:var(--danger)}
.badge[data-kind=partial]{color:var(--warn)}

@media (max-width:520px){
  .root[data-mode=floating] .panel{inset:auto 0 auto 0;top:var(--tutor-viewport-top,0px);bottom:auto;width:100%;
    height:var(--tutor-viewport-height,100%);max-height:none;border-radius:0;border:0;box-shadow:none}
  .root[data-mode=floating][data-position=bottom-left] .panel{left:0}
  .launcher{bottom:16px;right:16px;padding:0 16px}
  .root[data-position=bottom-left] .launcher{left:16px}
  .launcher-label{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  .header{gap:2px;padding:4px 4px 4px 12px}
  .header-button{min-width:46px;height:50px;padding:2px 3px;font-size:10.5px}
  .header-button.expand{display:none}
  .history-list{top:56px}
  .hint{display:none}
  .composer{padding-bottom:max(10px,env(safe-area-inset-bottom))}
  .msg{max-width:92%}
}
@media (pointer:coarse){
  .action,.copy,.retry,.followup,.source-close,.progress-toggle,.header-button,.history-item,.source-link,.field{min-height:44px}
  .action,.copy,.source-close,.header-button,.retry{min-width:44px;justify-content:center}
  .chip{position:relative;margin:0 13px}
  .chip::after{content:"";position:absolute;left:50%;top:50%;width:44px;height:44px;transform:translate(-50%,-50%)}
  .answer{padding-bottom:12px}
}
@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`;
