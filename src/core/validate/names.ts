/** Name formats from Kubernetes (apimachinery validation) and Tekton, as predicates. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const STRING_PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;
const RESULT_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const URL_LIKE = /[\w-]+:\/\/*/;

/** Longest name Tekton accepts for its resources, steps and pipeline tasks. */
export const MAX_NAME_LENGTH = 63;

/** A DNS-1123 label: lower case letters, digits and `-`, at most 63 characters. */
export function isDnsLabel(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && DNS_LABEL.test(name);
}

/** A resource name: a DNS-1123 subdomain that Tekton also caps at 63 characters. */
export function resourceNameProblem(name: string): string | undefined {
  if (!DNS_SUBDOMAIN.test(name)) {
    return `"${name}" is not a valid name: use lower case letters, digits, "-" and "."`;
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `"${name}" is ${name.length} characters long; Tekton allows at most ${MAX_NAME_LENGTH}`;
  }
  return undefined;
}

/** A `generateName` prefix: a name once Kubernetes appends its random suffix. */
export function generateNameProblem(prefix: string): string | undefined {
  const masked = prefix.endsWith("-") ? `${prefix.slice(0, -1)}a` : prefix;
  if (DNS_SUBDOMAIN.test(masked)) return undefined;
  return `generateName "${prefix}" is not a valid name prefix: use lower case letters, digits, "-" and "."`;
}

/** A Kubernetes qualified name, such as a taskRef name: `[prefix/]name`. */
export function isQualifiedName(name: string): boolean {
  const slash = name.lastIndexOf("/");
  const local = slash >= 0 ? name.slice(slash + 1) : name;
  const prefix = slash >= 0 ? name.slice(0, slash) : undefined;
  if (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) return false;
  return local.length <= MAX_NAME_LENGTH && QUALIFIED_NAME.test(local);
}

export function isStringParamName(name: string): boolean {
  return STRING_PARAM_NAME.test(name);
}

/** Object param names and their keys may not contain dots (they separate the key). */
export function isObjectParamName(name: string): boolean {
  return OBJECT_PARAM_NAME.test(name);
}

export function isResultName(name: string): boolean {
  return RESULT_NAME.test(name);
}

/** Looks like `scheme://...`: a ref name in Tekton's concise resolver syntax. */
export function isUrlLike(name: string): boolean {
  return URL_LIKE.test(name);
}
