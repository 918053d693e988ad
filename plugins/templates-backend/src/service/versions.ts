import semver from 'semver';

/**
 * Whether `latest` is a newer template version than `current`: by semver
 * when both are, else any difference (a `sha256:` content hash has no
 * order).
 */
export function compareTemplateVersions(
  current: string,
  latest: string,
): 'newer' | 'same' | 'older' {
  if (semver.valid(current) && semver.valid(latest)) {
    const order = semver.compare(latest, current);
    if (order > 0) return 'newer';
    return order === 0 ? 'same' : 'older';
  }
  return current === latest ? 'same' : 'newer';
}
