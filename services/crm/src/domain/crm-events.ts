import { defineEvent } from "@velaflows/kit";
import {
  ActivityAddedEvent,
  LeadConvertedEvent,
  LeadCreatedEvent,
  LeadDeletedEvent,
  LeadLostEvent,
  LeadStageChangedEvent,
  LeadUpdatedEvent,
  LeadWonEvent,
  PipelineArchivedEvent,
  PipelineCreatedEvent,
  PipelineUpdatedEvent,
  TaskCompletedEvent,
  TaskCreatedEvent,
  TaskReopenedEvent,
} from "@velaflows/proto/ts/velaflows/crm/v1/events";

// Event types come from the `event_type` option of each message in events.proto.
export const pipelineCreated = defineEvent("velaflows.crm.v1.PipelineCreatedEvent", PipelineCreatedEvent);
export const pipelineUpdated = defineEvent("velaflows.crm.v1.PipelineUpdatedEvent", PipelineUpdatedEvent);
export const pipelineArchived = defineEvent("velaflows.crm.v1.PipelineArchivedEvent", PipelineArchivedEvent);
export const leadCreated = defineEvent("velaflows.crm.v1.LeadCreatedEvent", LeadCreatedEvent);
export const leadUpdated = defineEvent("velaflows.crm.v1.LeadUpdatedEvent", LeadUpdatedEvent);
export const leadStageChanged = defineEvent("velaflows.crm.v1.LeadStageChangedEvent", LeadStageChangedEvent);
export const leadWon = defineEvent("velaflows.crm.v1.LeadWonEvent", LeadWonEvent);
export const leadLost = defineEvent("velaflows.crm.v1.LeadLostEvent", LeadLostEvent);
export const leadDeleted = defineEvent("velaflows.crm.v1.LeadDeletedEvent", LeadDeletedEvent);
export const taskCreated = defineEvent("velaflows.crm.v1.TaskCreatedEvent", TaskCreatedEvent);
export const taskCompleted = defineEvent("velaflows.crm.v1.TaskCompletedEvent", TaskCompletedEvent);
export const taskReopened = defineEvent("velaflows.crm.v1.TaskReopenedEvent", TaskReopenedEvent);
export const activityAdded = defineEvent("velaflows.crm.v1.ActivityAddedEvent", ActivityAddedEvent);
export const leadConverted = defineEvent("velaflows.crm.v1.LeadConvertedEvent", LeadConvertedEvent);
