------------------------- MODULE MCContextOwnership -------------------------
(* Model values, symmetry and trace labelling for checking ContextOwnership. *)
EXTENDS ContextOwnership, TLC

\* Start from every assignment of contexts to guests, so guests and contexts are each fully symmetric.
MCInitCtxOwners == [Contexts -> Guests]

\* Sound for the safety properties: nothing singles out a guest or a context, and pages are
\* not permuted (CDNA buffers spill into the next page).  Not used for NoLostInterrupt:
\* TLC may miss liveness violations under symmetry.
MCSymmetry == Permutations(Guests) \cup Permutations(Contexts)

\* NoLostInterrupt for one context and one guest.  Spec is symmetric under permutations
\* of Guests and of Contexts (MCInitCtxOwners starts from every assignment), so a
\* behaviour losing an event of c' for g' maps to one losing an event of these; checking
\* this one instance without symmetry reduction is as strong as checking them all, and
\* TLC's liveness checking does not have to carry nine leads-to formulas.
NoLostInterruptOne ==
  LET c == CHOOSE x \in Contexts : TRUE
      g == CHOOSE y \in Guests : TRUE
  IN (owedTo[c] = g) ~> (owedTo[c] # g)

\* Every action instance of Next, by name and parameters (for trace labelling).
TraceActions ==
  [AllocatePage |-> [g : Guests, p : GuestPages],
   FreePage |-> [g : Guests, p : Pages],
   TransferPage |-> [g : Guests, h : Guests, p : Pages],
   PostDescriptor |-> [c : Contexts, b : Cdna!Buffers],
   RingDoorbell |-> [c : Contexts, v : 0..SeqMod-1],
   NicFetch |-> [c : Contexts],
   NicDma |-> [c : Contexts],
   ReapCompletions |-> [c : Contexts],
   WriteDescriptor |-> [c : Contexts, i : 0..RingSize-1, g : Guests],
   MapBuffer |-> [c : Contexts, b : Iommu!Buffers],
   UnmapBuffer |-> [c : Contexts, b : Iommu!Buffers],
   FlushIotlb |-> [none : {0}],
   StopContext |-> [c : Contexts],
   QuiesceContext |-> [c : Contexts],
   UnmapContext |-> [c : Contexts],
   UnpinContext |-> [c : Contexts],
   AssignContext |-> [c : Contexts, g : Guests],
   NicRaise |-> [c : Contexts],
   DeliverVirq |-> [c : Contexts],
   HandleInterrupt |-> [none : {0}],
   ClearVector |-> [none : {0}],
   ScanVector |-> [none : {0}]]

\* The memory actions of the layer in use, one instance at a time.
MemoryFire(name, x) ==
  /\ IF Software
       THEN /\ CASE name = "AllocatePage" -> Cdna!AllocatePage(x.g, x.p)
                 [] name = "FreePage" -> Cdna!FreePage(x.g, x.p)
                 [] name = "TransferPage" -> Cdna!TransferPage(x.g, x.h, x.p)
            /\ UNCHANGED iommuVars
       ELSE /\ CASE name = "AllocatePage" -> Iommu!AllocatePage(x.g, x.p)
                 [] name = "FreePage" -> Iommu!FreePage(x.g, x.p)
                 [] name = "TransferPage" -> Iommu!TransferPage(x.g, x.h, x.p)
            /\ UNCHANGED cdnaVars
  /\ UNCHANGED <<ownVars, irqVars>>

\* Performs the action instance x of the action called name.
Fire(name, x) ==
  CASE name \in {"AllocatePage", "FreePage", "TransferPage"} -> MemoryFire(name, x)
    [] name = "PostDescriptor" -> PostDescriptor(x.c, x.b)
    [] name = "RingDoorbell" -> RingDoorbell(x.c, x.v)
    [] name = "NicFetch" -> NicFetch(x.c)
    [] name = "NicDma" -> NicDma(x.c)
    [] name = "ReapCompletions" -> ReapCompletions(x.c)
    [] name = "WriteDescriptor" -> WriteDescriptor(x.c, x.i, x.g)
    [] name = "MapBuffer" -> MapBuffer(x.c, x.b)
    [] name = "UnmapBuffer" -> x.b \in posted[x.c] /\ UnmapBuffer(x.c, x.b)
    [] name = "FlushIotlb" -> FlushIotlb
    [] name = "StopContext" -> StopContext(x.c)
    [] name = "QuiesceContext" -> QuiesceContext(x.c)
    [] name = "UnmapContext" -> UnmapContext(x.c)
    [] name = "UnpinContext" -> UnpinContext(x.c)
    [] name = "AssignContext" -> AssignContext(x.c, x.g)
    [] name = "NicRaise" -> NicRaise(x.c)
    [] name = "DeliverVirq" -> DeliverVirq(x.c)
    [] name = "HandleInterrupt" -> HandleInterrupt
    [] name = "ClearVector" -> ClearVector
    [] name = "ScanVector" -> ScanVector

\* Next, rebuilt from the labelled instances (checked against Next by a test).
FiredNext == \E name \in DOMAIN TraceActions : \E x \in TraceActions[name] : Fire(name, x)
FiredSpec == Init /\ [][FiredNext]_vars

(* Reachability witnesses (docs/vacuity.md).  Each describes a dangerous   *)
(* situation that a property guards against.  A safe design must still be  *)
(* able to get there, or its "holds" says nothing: the checker asks TLC for *)
(* a trace to each (as an invariant ~W it must find violated), and a        *)
(* witness it cannot reach makes the verdict "vacuous".                     *)

\* A context is stopped while its device can still reach memory: it must be quiesced and unmapped before it moves on.
WitnessStoppedWithReach ==
  \E c \in Contexts : phase[c] = "stopped" /\ DeviceReach(c) # {}

\* A context is free, between the guest that had it and the next: where a stale holder, descriptor or vector would leak across.
WitnessBetweenOwners ==
  \E c \in Contexts : phase[c] = "free"

\* An event is pending, owed to a guest: what stopping or reassigning the context must not misdirect or lose.
WitnessEventPending ==
  \E c \in vector \cup taken : owedTo[c] # NoGuest

\* A context's bit is set again while its earlier event is taken but not yet delivered: the race the vector's clear order decides.
WitnessRaisedWhileTaken ==
  \E c \in vector \cap taken : TRUE
\* An interrupt of c is pending while the device can still reach memory for c: both halves are live at once.
WitnessBothHalvesBusy ==
  \E c \in Contexts : c \in vector /\ DeviceReach(c) # {}
=============================================================================
