// The job store for workerd tests: time travel (a wait or a lease that ends now) and inspection, built on the
// store's tooling verbs (app/sync/jobs/tooling.server.ts). No test writes SQL of its own on the jobs table.
import type { Db } from "~/db/client.server";
import * as store from "~/sync/jobs/tooling.server";
import type { SyncAction } from "~/sync/vocabulary";
import { testDb } from "./database";

async function withDb<T>(databaseUrl: string, run: (db: Db) => Promise<T>): Promise<T> {
  const { db, close } = testDb(databaseUrl);
  try {
    return await run(db);
  } finally {
    await close();
  }
}

/** A job waiting for its retry, its turn in the pace line or tomorrow's budget becomes due now (reopened if `reopen`). */
export const makeJobDue = (databaseUrl: string, jobId?: string, opts: { reopen?: boolean } = {}) => withDb(databaseUrl, (db) => store.makeJobDue(db, jobId, opts));
/** The worker holding the job "died": its lease has run out. */
export const expireLease = (databaseUrl: string, jobId: string) => withDb(databaseUrl, (db) => store.expireLease(db, jobId));
export const reopenJob = (databaseUrl: string, jobId: string) => withDb(databaseUrl, (db) => store.reopenJob(db, jobId));
export const setJobPriority = (databaseUrl: string, jobId: string, priority: number) => withDb(databaseUrl, (db) => store.setJobPriority(db, jobId, priority));
export const scheduleJobIn = (databaseUrl: string, jobId: string, ms: number) => withDb(databaseUrl, (db) => store.scheduleJobIn(db, jobId, ms));
export const deleteAllJobs = (databaseUrl: string) => withDb(databaseUrl, (db) => store.deleteAllJobs(db));
export const failJobInserts = (databaseUrl: string, action: SyncAction, constraint: string) => withDb(databaseUrl, (db) => store.failJobInserts(db, action, constraint));
export const allowJobInserts = (databaseUrl: string, constraint: string) => withDb(databaseUrl, (db) => store.allowJobInserts(db, constraint));

export const jobRecord = (databaseUrl: string, jobId: string) => withDb(databaseUrl, (db) => store.jobRecord(db, jobId));
export const jobRecordsOf = (databaseUrl: string, customerId: string) => withDb(databaseUrl, (db) => store.jobRecordsOf(db, customerId));
/** A customer's jobs with Postgres's column names. */
export const jobRowsOf = (databaseUrl: string, customerId: string) => withDb(databaseUrl, (db) => store.jobRowsOf(db, customerId));
export const jobIdsForEmail = (databaseUrl: string, email: string) => withDb(databaseUrl, (db) => store.jobIdsForEmail(db, email));
export const allJobStates = (databaseUrl: string) => withDb(databaseUrl, (db) => store.allJobStates(db));
export const openJobSchedules = (databaseUrl: string) => withDb(databaseUrl, (db) => store.openJobSchedules(db));
export const jobsPerDayAhead = (databaseUrl: string) => withDb(databaseUrl, (db) => store.jobsPerDayAhead(db));
