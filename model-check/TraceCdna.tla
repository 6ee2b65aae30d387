------------------------------ MODULE TraceCdna ------------------------------
(* Trace validation, code to spec: is a logged run of the Java implementation *)
(* a behaviour of CdnaProtection?  The log comes from the generated module  *)
(* TraceLog (bin/cdna validate writes it): TVLog[i] is the spec-state view  *)
(* of the Java machine after its i-th logged step (entry 1: as built), and  *)
(* TVSteps[i] the step into it: the spec action the Java step claims to be  *)
(* (a = "" for a step outside the spec), and its parameters when known.     *)
(* A log the spec can follow to its end violates TVNotDone at the last      *)
(* entry; one it cannot deadlocks at the first entry no step reaches.       *)
EXTENDS MCCdna, TraceLog, Sequences

\* How many log entries the spec has followed.
VARIABLE tvAt

\* A logged state as the tuple vars is.
TVVars(s) == <<s.owner, s.ctxOwner, s.ring, s.prod, s.reaped, s.nicNext, s.doorbell, s.engine, s.call, s.pinBit>>

\* The step e of the log: the spec action it names (with its logged parameters when known,
\* else any), or, for a Java step outside the spec, no change to the spec's variables.
TVStep(e) ==
  IF TVByName /\ e.a \in DOMAIN TraceActions
    THEN IF e.known THEN e.x \in TraceActions[e.a] /\ Fire(e.a, e.x)
                    ELSE \E x \in TraceActions[e.a] : Fire(e.a, x)
    ELSE IF TVByName THEN UNCHANGED vars ELSE Next \/ UNCHANGED vars

TVInit == Init /\ vars = TVVars(TVLog[1]) /\ tvAt = 1
TVNext == tvAt < Len(TVLog) /\ TVStep(TVSteps[tvAt + 1]) /\ vars' = TVVars(TVLog[tvAt + 1]) /\ tvAt' = tvAt + 1
TVSpec == TVInit /\ [][TVNext]_<<vars, tvAt>>

\* Violated exactly when the whole log has been followed.
TVNotDone == tvAt < Len(TVLog)
==============================================================================
