import { bindService, type ServiceBinding } from "@velaflows/kit";
import { CustomersServiceService } from "@velaflows/proto/ts/velaflows/customers/v1/customers";
import type { CustomerDependencies } from "./domain/dependencies";
import type { CustomersStore } from "./persistence/customers-store";
import { countCustomersHandler } from "./rpc/count-customers";
import { createCustomerHandler } from "./rpc/create-customer";
import { createExportJobHandler } from "./rpc/create-export-job";
import { createImportJobHandler } from "./rpc/create-import-job";
import { createNoteHandler } from "./rpc/create-note";
import { createSegmentHandler } from "./rpc/create-segment";
import { deleteCustomerHandler } from "./rpc/delete-customer";
import { deleteNoteHandler } from "./rpc/delete-note";
import { deleteSegmentHandler } from "./rpc/delete-segment";
import { downloadExportHandler } from "./rpc/download-export";
import { getCustomerHandler } from "./rpc/get-customer";
import { batchGetCustomersHandler } from "./rpc/batch-get-customers";
import { getExportJobHandler } from "./rpc/get-export-job";
import { getImportErrorsHandler } from "./rpc/get-import-errors";
import { getImportJobHandler } from "./rpc/get-import-job";
import { getMergeHandler } from "./rpc/get-merge";
import { getSegmentHandler } from "./rpc/get-segment";
import { getTimelineHandler } from "./rpc/get-timeline";
import { listCustomersHandler } from "./rpc/list-customers";
import { listExportJobsHandler } from "./rpc/list-export-jobs";
import { listImportJobsHandler } from "./rpc/list-import-jobs";
import { listMergesHandler } from "./rpc/list-merges";
import { listNotesHandler } from "./rpc/list-notes";
import { listSegmentsHandler } from "./rpc/list-segments";
import { lookupCustomerHandler } from "./rpc/lookup-customer";
import { mergeCustomersHandler } from "./rpc/merge-customers";
import { setCustomerTagsHandler } from "./rpc/set-customer-tags";
import { updateCustomerHandler } from "./rpc/update-customer";
import { updateNoteHandler } from "./rpc/update-note";
import { updateSegmentHandler } from "./rpc/update-segment";

/** The CustomersService: one handler per RPC, each given the store and the other services it uses. */
export function createCustomersService(store: CustomersStore, deps: CustomerDependencies): ServiceBinding {
  return bindService(CustomersServiceService, {
    createCustomer: createCustomerHandler(store, deps),
    getCustomer: getCustomerHandler(store, deps),
    batchGetCustomers: batchGetCustomersHandler(store),
    updateCustomer: updateCustomerHandler(store, deps),
    deleteCustomer: deleteCustomerHandler(store, deps),
    listCustomers: listCustomersHandler(store, deps),
    lookupCustomer: lookupCustomerHandler(store, deps),
    countCustomers: countCustomersHandler(store, deps),
    setCustomerTags: setCustomerTagsHandler(store, deps),
    mergeCustomers: mergeCustomersHandler(store, deps),
    listMerges: listMergesHandler(store, deps),
    getMerge: getMergeHandler(store, deps),
    createNote: createNoteHandler(store, deps),
    listNotes: listNotesHandler(store, deps),
    updateNote: updateNoteHandler(store, deps),
    deleteNote: deleteNoteHandler(store, deps),
    getTimeline: getTimelineHandler(store, deps),
    createSegment: createSegmentHandler(store, deps),
    getSegment: getSegmentHandler(store, deps),
    updateSegment: updateSegmentHandler(store, deps),
    deleteSegment: deleteSegmentHandler(store, deps),
    listSegments: listSegmentsHandler(store, deps),
    createImportJob: createImportJobHandler(store, deps),
    getImportJob: getImportJobHandler(store, deps),
    listImportJobs: listImportJobsHandler(store, deps),
    getImportErrors: getImportErrorsHandler(store, deps),
    createExportJob: createExportJobHandler(store, deps),
    getExportJob: getExportJobHandler(store, deps),
    listExportJobs: listExportJobsHandler(store, deps),
    downloadExport: downloadExportHandler(store, deps),
  });
}
