import type { Ref } from "./model/common.ts";
import type {
  DataResource,
  PipelineResource,
  Resource,
  ServiceAccountResource,
  StepActionResource,
  TaskResource,
} from "./model/resources.ts";

/** What a taskRef, pipelineRef or step ref can name. */
export type RefTarget = TaskResource | PipelineResource | StepActionResource;

/** The documents a run can refer to by name: Tasks, Pipelines, StepActions, data. */
export class Catalog {
  private readonly byKey = new Map<string, Resource>();
  /** Documents fetched by remote resolvers before the run, by their request key. */
  private readonly remoteByKey = new Map<string, RefTarget>();
  /** The same answers by the ref object that asked, for callers that lack its variables. */
  private readonly byRef = new WeakMap<Ref, RefTarget>();

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

  /** The document a resolver answered for the request with this key, if resolved. */
  remote(key: string): RefTarget | undefined {
    return this.remoteByKey.get(key);
  }

  /** Records a resolver's answer, so refs find it while the run is planned. */
  addRemote(key: string, resource: RefTarget): void {
    this.remoteByKey.set(key, resource);
  }

  /** What a resolver answered for this ref object (the first answer, if runs differ). */
  resolvedRef(ref: Ref): RefTarget | undefined {
    return this.byRef.get(ref);
  }

  addResolvedRef(ref: Ref, resource: RefTarget): void {
    if (!this.byRef.has(ref)) this.byRef.set(ref, resource);
  }

  serviceAccount(name: string): ServiceAccountResource | undefined {
    return this.byKey.get(`ServiceAccount/${name}`) as ServiceAccountResource | undefined;
  }
}
