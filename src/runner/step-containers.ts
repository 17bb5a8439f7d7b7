import type { ContainerSpec } from "../backend/engine.ts";
import type { StepPlan } from "../core/task/plan.ts";
import { evaluateWhen } from "../core/task/when.ts";
import { usesStepResults } from "./step-runtime.ts";

/**
 * A TaskRun's step containers, created off the critical path: a step's container is created
 * while the step before it runs (a cluster creates all of a pod's containers at once), so a
 * step starts as soon as the one before it has exited.
 *
 * Exited containers are not removed one by one while the next step runs: on two cores that
 * slowed every step more than it saved at the pod's removal (see docs/benchmarks.md).
 */
export class StepContainers {
  private readonly ahead = new Map<string, Promise<ContainerSpec>>();

  constructor(private readonly create: (step: StepPlan) => Promise<ContainerSpec>) {}

  /**
   * Starts creating a step's container before its turn. A step that uses earlier steps'
   * results, or that its `when` skips, is left to its turn.
   */
  createAhead(step: StepPlan | undefined): void {
    if (!step || this.ahead.has(step.containerName)) return;
    if (usesStepResults(step) || !evaluateWhen(step.when).pass) return;
    const created = this.create(step);
    created.catch(() => {}); // awaited at the step's turn, or settled before the pod goes
    this.ahead.set(step.containerName, created);
  }

  /** The step's container if it was created ahead of its turn. */
  createdAhead(step: StepPlan): Promise<ContainerSpec> | undefined {
    return this.ahead.get(step.containerName);
  }

  /** Waits for the creations under way, so that none races the removal of the pod. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.ahead.values());
  }
}
