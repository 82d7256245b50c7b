import { createDataSource } from "@velaflows/kit";
import type { DataSource } from "typeorm";
import { CustomerEntity } from "./customer.entity";
import { ExportJobEntity, ImportErrorEntity, ImportJobEntity } from "./jobs.entity";
import { MergeEntity } from "./merge.entity";
import { CreateCustomers1764400000100 } from "./migrations/1764400000100-create-customers";
import { CustomerTotals1764400000200 } from "./migrations/1764400000200-customer-totals";
import { CustomerIdIndexes1764400000300 } from "./migrations/1764400000300-customer-id-indexes";
import { SplitSearchWords1764400000400 } from "./migrations/1764400000400-split-search-words";
import { SearchTerms1764400000500 } from "./migrations/1764400000500-search-terms";
import { WorkspaceSearchLexemes1764400000600 } from "./migrations/1764400000600-workspace-search-lexemes";
import { NoteEntity } from "./note.entity";
import { SegmentEntity } from "./segment.entity";
import { TimelineEntryEntity } from "./timeline-entry.entity";

/** The Customers data source on its own schema, with every migration in order. */
export function createCustomersDataSource(options: { url: string; schema: string; poolSize: number }): DataSource {
  return createDataSource({
    ...options,
    applicationName: "velaflows-customers",
    entities: [CustomerEntity, NoteEntity, TimelineEntryEntity, MergeEntity, SegmentEntity, ImportJobEntity, ImportErrorEntity, ExportJobEntity],
    migrations: [CreateCustomers1764400000100, CustomerTotals1764400000200, CustomerIdIndexes1764400000300, SplitSearchWords1764400000400, SearchTerms1764400000500, WorkspaceSearchLexemes1764400000600],
  });
}
