import type {
  DataResource,
  PipelineResource,
  Resource,
  ServiceAccountResource,
  StepActionResource,
  TaskResource,
} from "./model/resources.ts";

/** The documents a run can refer to by name: Tasks, Pipelines, StepActions, data. */
export class Catalog {
  private readonly byKey = new Map<string, Resource>();

  constructor(resources: readonly Resource[]) {
    // The first document of a name wins, as the input's own documents come before --resources.
    for (const resource of resources) {
      const key = `${resource.kind}/${resource.name}`;
      if (!this.byKey.has(key)) this.byKey.set(key, resource);
    }
  }

  task(name: string): TaskResource | undefined {
    return this.byKey.get(`Task/${name}`) as TaskResource | undefined;
  }

  pipeline(name: string): PipelineResource | undefined {
    return this.byKey.get(`Pipeline/${name}`) as PipelineResource | undefined;
  }

  stepAction(name: string): StepActionResource | undefined {
    return this.byKey.get(`StepAction/${name}`) as StepActionResource | undefined;
  }

  data(kind: "ConfigMap" | "Secret", name: string): DataResource | undefined {
    return this.byKey.get(`${kind}/${name}`) as DataResource | undefined;
  }

  serviceAccount(name: string): ServiceAccountResource | undefined {
    return this.byKey.get(`ServiceAccount/${name}`) as ServiceAccountResource | undefined;
  }
}
