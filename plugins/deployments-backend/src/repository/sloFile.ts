import {
  parseServiceLevelObjectives,
  type ServiceLevelObjective,
  type ServiceLevelObjectivesProblem,
} from '@paved-road/plugin-deployments-common';
import { parseAllDocuments } from 'yaml';

/**
 * The SLOs of an OpenSLO file (several YAML documents separated by `---`).
 * A document that is not valid YAML is reported and left out; the others
 * are still read.
 */
export function readSloFile(text: string): {
  slos: ServiceLevelObjective[];
  problems: ServiceLevelObjectivesProblem[];
} {
  const documents = parseAllDocuments(text);
  const yamlProblems: ServiceLevelObjectivesProblem[] = [];
  const values = documents.map((doc, index) => {
    if (doc.errors.length > 0) {
      yamlProblems.push({
        document: index + 1,
        field: null,
        message: `invalid YAML: ${doc.errors[0].message}`,
      });
      return undefined;
    }
    return doc.toJS();
  });
  const { slos, problems } = parseServiceLevelObjectives(values);
  return {
    slos,
    problems: [...yamlProblems, ...problems].sort(
      (a, b) => (a.document ?? 0) - (b.document ?? 0),
    ),
  };
}
