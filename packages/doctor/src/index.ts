/**
 * @kube-dns/doctor: compares the three views of the cluster's DNS (what the API objects imply, what etcd holds under
 * /skydns, what skydns answers) and names every difference with its API object and etcd key. Read-only.
 */
export { answerDifferences, replyOf } from "./answers.js";
export type { Reply } from "./answers.js";
export { compareRecords, faultOf, objectOfPath } from "./compare.js";
export type { EtcdView, Wanted } from "./compare.js";
export { DEFAULT_IN_FLIGHT } from "./config.js";
export type { DoctorConfig } from "./config.js";
export { DIFFERENCE_KINDS, identityOf } from "./difference.js";
export type { Difference, DifferenceKind } from "./difference.js";
export { runDoctor } from "./doctor.js";
export type { DoctorReport } from "./doctor.js";
export { formatReport, reportJson } from "./format.js";
export { questionsFor, rdataOf } from "./questions.js";
export type { Question, QuestionType } from "./questions.js";
export { SourceError } from "./sources.js";
