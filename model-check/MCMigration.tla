----------------------------- MODULE MCMigration -----------------------------
(* Model values, symmetry and trace labelling for checking MigrationHandoff. *)
EXTENDS MigrationHandoff, TLC

\* No symmetry: TLC permutes model values only, and these pages are numbers (the
\* standard model is about 100,000 states without it).

\* Every action instance of Next, by name and parameters (for trace labelling).
TraceActions ==
  [GuestWrite |-> [p : GPages],
   CopyPage |-> [p : GPages],
   DeviceWrite |-> [none : {0}],
   SendFrame |-> [none : {0}],
   DropFrame |-> [f : Frames],
   LandOnB |-> [f : Frames],
   LandOnA |-> [f : Frames, p : GPages],
   Flood |-> [f : Frames, p : GPages],
   StartMigration |-> [none : {0}],
   Failover |-> [none : {0}],
   RequestUnplug |-> [none : {0}],
   UnplugDone |-> [none : {0}],
   UnplugFails |-> [none : {0}],
   CancelMigration |-> [none : {0}],
   QuiesceContext |-> [none : {0}],
   Stop |-> [none : {0}],
   StopCopyDone |-> [none : {0}],
   Resume |-> [none : {0}],
   AttachDirectB |-> [none : {0}],
   RunOnB |-> [none : {0}],
   ReleasePages |-> [none : {0}],
   ReleaseContext |-> [none : {0}],
   AssignToOther |-> [none : {0}],
   OtherTakesPage |-> [p : APages]]

\* Performs the action instance x of the action called name.
Fire(name, x) ==
  CASE name = "GuestWrite" -> GuestWrite(x.p)
    [] name = "CopyPage" -> CopyPage(x.p)
    [] name = "DeviceWrite" -> DeviceWrite
    [] name = "SendFrame" -> SendFrame
    [] name = "DropFrame" -> DropFrame(x.f)
    [] name = "LandOnB" -> LandOnB(x.f)
    [] name = "LandOnA" -> LandOnA(x.f, x.p)
    [] name = "Flood" -> Flood(x.f, x.p)
    [] name = "StartMigration" -> StartMigration
    [] name = "Failover" -> Failover
    [] name = "RequestUnplug" -> RequestUnplug
    [] name = "UnplugDone" -> UnplugDone
    [] name = "UnplugFails" -> UnplugFails
    [] name = "CancelMigration" -> CancelMigration
    [] name = "QuiesceContext" -> QuiesceContext
    [] name = "Stop" -> Stop
    [] name = "StopCopyDone" -> StopCopyDone
    [] name = "Resume" -> Resume
    [] name = "AttachDirectB" -> AttachDirectB
    [] name = "RunOnB" -> RunOnB
    [] name = "ReleasePages" -> ReleasePages
    [] name = "ReleaseContext" -> ReleaseContext
    [] name = "AssignToOther" -> AssignToOther
    [] name = "OtherTakesPage" -> OtherTakesPage(x.p)

\* Next, rebuilt from the labelled instances (checked against Next by a test).
FiredNext == \E name \in DOMAIN TraceActions : \E x \in TraceActions[name] : Fire(name, x)
FiredSpec == Init /\ [][FiredNext]_vars

(* Reachability witnesses (docs/vacuity.md): dangerous situations a safe  *)
(* design must still be able to reach, or its "holds" says nothing.       *)

\* A DMA is in flight into a guest page while that page is still to be copied or already copied: what the dirty log must catch.
WitnessDmaDuringPrecopy ==
  migrating /\ pending # NoPage /\ logging

\* The guest runs on B while A still holds its pages: the window in which A must not release them early.
WitnessRunningOnBBeforeRelease ==
  dst = "RUNNING" /\ \E p \in GPages : ownerA[p] = M

\* The other guest owns one of the pages the migrating guest had on A: reuse happened.
WitnessPageReused ==
  \E p \in GPages : ownerA[p] = O

\* A frame for the guest is in flight after the guest has left A: it may still land there.
WitnessFrameInFlightAfterStop ==
  src # "RUNNING" /\ flight # {}

\* The guest's old context belongs to the other guest now.
WitnessContextReused ==
  ctx = "other"

\* A migration was cancelled after the direct context was unplugged.
WitnessCancelledAfterUnplug ==
  cancelled /\ unplug = "done"

\* B has loaded the guest's state and not run it yet: where waiting for what never comes would hang.
WitnessResuming ==
  dst = "RESUMING"

\* B resumed with the device and ring state copied.
WitnessDeviceStateCopied ==
  dst # "NONE" /\ devCopies = 1
=============================================================================
