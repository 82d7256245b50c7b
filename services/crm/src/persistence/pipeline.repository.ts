import type { EntityManager } from "typeorm";
import { runSql, WorkspaceRepository } from "@velaflows/kit";
import { PipelineEntity, StageEntity } from "./entities";

/** A pipeline with its stages in order. */
export interface PipelineWithStages {
  pipeline: PipelineEntity;
  stages: StageEntity[];
}

/** Pipelines and their stages, one workspace at a time. */
export class PipelineRepository {
  private readonly pipelines: WorkspaceRepository<PipelineEntity>;
  private readonly stages: WorkspaceRepository<StageEntity>;

  constructor(private readonly manager: EntityManager) {
    this.pipelines = new WorkspaceRepository(PipelineEntity, manager);
    this.stages = new WorkspaceRepository(StageEntity, manager);
  }

  findPipeline(workspaceId: string, id: string): Promise<PipelineEntity | null> {
    return this.pipelines.findById(workspaceId, id);
  }

  findDefault(workspaceId: string): Promise<PipelineEntity | null> {
    return this.pipelines.query(workspaceId, "p").andWhere("p.is_default").getOne();
  }

  /** Locks the pipeline row (stage edits of one pipeline run one at a time). */
  async lockPipeline(workspaceId: string, id: string): Promise<PipelineEntity | null> {
    return this.pipelines.query(workspaceId, "p").andWhere("p.id = :id", { id }).setLock("pessimistic_write").getOne();
  }

  async withStages(workspaceId: string, pipeline: PipelineEntity): Promise<PipelineWithStages> {
    return { pipeline, stages: await this.stagesOf(workspaceId, pipeline.id) };
  }

  stagesOf(workspaceId: string, pipelineId: string): Promise<StageEntity[]> {
    return this.stages.find(workspaceId, { pipelineId }, { order: { position: "ASC", id: "ASC" } });
  }

  /** Pipelines, the default first, then oldest first; archived ones only when asked. */
  async list(workspaceId: string, includeArchived: boolean): Promise<PipelineWithStages[]> {
    const query = this.pipelines.query(workspaceId, "p");
    if (!includeArchived) query.andWhere("NOT p.archived");
    const pipelines = await query.orderBy("p.is_default", "DESC").addOrderBy("p.created_at", "ASC").addOrderBy("p.id", "ASC").getMany();
    if (pipelines.length === 0) return [];
    const stages = await this.stages
      .query(workspaceId, "s")
      .andWhere("s.pipeline_id IN (:...ids)", { ids: pipelines.map((p) => p.id) })
      .orderBy("s.position", "ASC")
      .addOrderBy("s.id", "ASC")
      .getMany();
    return pipelines.map((pipeline) => ({ pipeline, stages: stages.filter((s) => s.pipelineId === pipeline.id) }));
  }

  findStage(workspaceId: string, id: string): Promise<StageEntity | null> {
    return this.stages.findById(workspaceId, id);
  }

  /** A stage and its pipeline in one statement (every lead create and move needs both). */
  async findStageWithPipeline(workspaceId: string, id: string): Promise<{ stage: StageEntity; pipeline: PipelineEntity } | null> {
    const stage: (StageEntity & { pipeline?: PipelineEntity }) | null = await this.stages
      .query(workspaceId, "s")
      .innerJoinAndMapOne("s.pipeline", PipelineEntity, "p", "p.workspace_id = s.workspace_id AND p.id = s.pipeline_id")
      .andWhere("s.id = :id", { id })
      .getOne();
    if (!stage?.pipeline) return null;
    const { pipeline } = stage;
    delete stage.pipeline;
    return { stage, pipeline };
  }

  findStages(workspaceId: string, ids: readonly string[]): Promise<StageEntity[]> {
    return this.stages.findByIds(workspaceId, ids);
  }

  insertPipeline(workspaceId: string, pipeline: Partial<PipelineEntity>): Promise<PipelineEntity> {
    return this.pipelines.insert(workspaceId, pipeline);
  }

  /**
   * Inserts the workspace's default pipeline unless one exists; false when another transaction
   * made it first (the unique partial index decides, so concurrent first uses make one).
   */
  async insertDefaultIfMissing(workspaceId: string, pipeline: { id: string; name: string; createdBy: string | null }): Promise<boolean> {
    if (!workspaceId) throw new Error("Refusing a query without a workspace id");
    const { rows } = await runSql(
      this.manager,
      `INSERT INTO "crm"."pipelines" ("id", "workspace_id", "name", "is_default", "created_by")
       VALUES ($1, $2, $3, true, $4)
       ON CONFLICT ("workspace_id") WHERE "is_default" DO NOTHING
       RETURNING "id"`,
      [pipeline.id, workspaceId, pipeline.name, pipeline.createdBy],
    );
    return rows.length > 0;
  }

  async updatePipeline(workspaceId: string, id: string, patch: Partial<Pick<PipelineEntity, "name" | "isDefault" | "archived">>): Promise<void> {
    await this.pipelines.update(workspaceId, { id }, patch);
  }

  async clearDefault(workspaceId: string): Promise<void> {
    await this.pipelines.update(workspaceId, { isDefault: true }, { isDefault: false });
  }

  async touchPipeline(workspaceId: string, id: string): Promise<void> {
    await this.pipelines.update(workspaceId, { id }, {});
  }

  insertStage(workspaceId: string, stage: Partial<StageEntity>): Promise<StageEntity> {
    return this.stages.insert(workspaceId, stage);
  }

  async updateStage(workspaceId: string, id: string, patch: Partial<Pick<StageEntity, "name" | "color" | "probability" | "isWon" | "isLost" | "position">>): Promise<void> {
    await this.stages.update(workspaceId, { id }, patch);
  }

  async deleteStage(workspaceId: string, id: string): Promise<void> {
    await this.stages.delete(workspaceId, { id });
  }

  /** Sets each stage's position to its index in `orderedIds`. */
  async setPositions(workspaceId: string, orderedIds: readonly string[]): Promise<void> {
    await runSql(
      this.manager,
      `UPDATE "crm"."stages" AS s SET "position" = o.ordinal - 1, "updated_at" = now()
         FROM unnest($2::varchar[]) WITH ORDINALITY AS o(id, ordinal)
        WHERE s."workspace_id" = $1 AND s."id" = o.id AND s."position" <> o.ordinal - 1`,
      [workspaceId, [...orderedIds]],
    );
  }
}
