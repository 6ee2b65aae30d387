---------------------------- MODULE DmaIsolation ----------------------------
(***************************************************************************)
(* The abstract contract every protection design must refine.              *)
(*                                                                         *)
(* Memory is a set of cells (bytes) grouped into machine pages.  Pages are *)
(* owned by guests or by the hypervisor (which also holds the free pool),  *)
(* and ownership changes over time.  A channel is the device-side agent    *)
(* working for one guest (a NIC context).  For each channel the contract   *)
(* tracks two sets of cells:                                               *)
(*   posted[c] : the buffers the guest currently has posted for DMA, and   *)
(*   reach[c]  : every cell the device can touch for c from this state on  *)
(*               without any further software action (its capability).    *)
(* Device accesses themselves change no state, so the properties are put   *)
(* on reach: a device step is always enabled for a cell in reach, hence    *)
(* "no reachable state has a bad cell in reach" is the same as "no         *)
(* behaviour makes a bad access".                                          *)
(*                                                                         *)
(* The contract is one generic step: any change is allowed as long as new  *)
(* postings and new device reach are made only of memory the guest owns   *)
(* (and, for IntraGuestProtection, has posted), and ownership never moves  *)
(* out from under the device.                                              *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
  \* Guest virtual machines.
  Guests,
  \* The hypervisor as page owner; it also holds the pool of free pages.
  Hyp,
  \* Machine pages.
  Pages,
  \* Device-side agents (NIC contexts), each working for one guest at a time.
  Channels,
  \* Every byte of memory the device could address.
  Cells,
  \* The page a cell lies in.
  PageOf(_),
  \* TRUE: the device may touch only posted buffers (intra-guest protection is part of the contract).
  RequirePosted

VARIABLES
  \* owner[p]: who owns page p now (a guest, or Hyp).
  owner,
  \* chanOwner[c]: the guest channel c works for.
  chanOwner,
  \* posted[c]: cells of the buffers c's guest has posted and not yet had retired.
  posted,
  \* reach[c]: cells the device can touch for c from now on without further software action.
  reach

vars == <<owner, chanOwner, posted, reach>>

Owners == Guests \cup {Hyp}

OwnedCells(g) == {a \in Cells : owner[PageOf(a)] = g}

TypeOK ==
  /\ owner \in [Pages -> Owners]
  /\ chanOwner \in [Channels -> Guests]
  /\ posted \in [Channels -> SUBSET Cells]
  /\ reach \in [Channels -> SUBSET Cells]

-----------------------------------------------------------------------------
(* The two properties, named once for the whole project.                   *)

\* Every device access on behalf of channel c's guest hits a page that guest owns at that moment.
InterGuestIsolation ==
  \A c \in Channels : \A a \in reach[c] : owner[PageOf(a)] = chanOwner[c]

\* The device touches only bytes of buffers the guest currently has posted.
IntraGuestProtection ==
  \A c \in Channels : reach[c] \subseteq posted[c]

-----------------------------------------------------------------------------
Init ==
  /\ owner \in [Pages -> Owners]
  /\ chanOwner \in [Channels -> Guests]
  /\ posted = [c \in Channels |-> {}]
  /\ reach = [c \in Channels |-> {}]

\* One contract step: anything may change, as long as a guest posts only
\* memory it owns and the device's reach stays inside the guest's memory
\* (and inside its posted buffers when RequirePosted).
Step ==
  /\ owner' \in [Pages -> Owners]
  /\ chanOwner' \in [Channels -> Guests]
  /\ \A c \in Channels : posted'[c] \ posted[c] \subseteq OwnedCells(chanOwner[c])'
  /\ InterGuestIsolation'
  /\ RequirePosted => IntraGuestProtection'

Spec == Init /\ [][Step]_vars

THEOREM Spec => [](InterGuestIsolation /\ (RequirePosted => IntraGuestProtection))
=============================================================================
