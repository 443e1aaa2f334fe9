/**
 * UI strings of the deploy area, English and Simplified Chinese. Merged into lib/i18n/messages.ts;
 * keys start with "deploy." so areas never collide. `zh` is typed against `en`: a missing
 * translation is a type error.
 */
export const en = {
  "deploy.apiDocs.title": "API reference",
  "deploy.apiDocs.hint": "Every /api/v1 route, generated from the schemas the console validates with. Script it with an API token (Settings → Tokens).",
  "deploy.apiDocs.download": "Download openapi.json",
  "deploy.apiDocs.example": "Example",
  "deploy.apiDocs.parameters": "Parameters",
  "deploy.apiDocs.body": "Request body (JSON)",
  "deploy.apiDocs.permission": "Permission",
  "deploy.apiDocs.audit": "Audited as",
  "deploy.apiDocs.public": "No sign-in needed",
  "deploy.apiDocs.required": "required",
  "deploy.apiDocs.errors": "Errors answer application/problem+json naming the field or the system.",
  "deploy.apiDocs.responses": "Responses",
  "deploy.apiDocs.response": "Response",
  "deploy.apiDocs.problems": "Errors (application/problem+json):",
} as const;

export const zh: Record<keyof typeof en, string> = {
  "deploy.apiDocs.title": "API 参考",
  "deploy.apiDocs.hint": "所有 /api/v1 接口，由控制台校验所用的 schema 生成。可用 API 令牌编写脚本（设置 → 令牌）。",
  "deploy.apiDocs.download": "下载 openapi.json",
  "deploy.apiDocs.example": "示例",
  "deploy.apiDocs.parameters": "参数",
  "deploy.apiDocs.body": "请求体（JSON）",
  "deploy.apiDocs.permission": "所需权限",
  "deploy.apiDocs.audit": "审计动作",
  "deploy.apiDocs.public": "无需登录",
  "deploy.apiDocs.required": "必填",
  "deploy.apiDocs.errors": "错误以 application/problem+json 返回，并指明出错的字段或系统。",
  "deploy.apiDocs.responses": "响应",
  "deploy.apiDocs.response": "响应",
  "deploy.apiDocs.problems": "错误（application/problem+json）：",
};
