namespace Desk.Domain.Recovery;

/// <summary>The columns of the recovery matrix, laid out like the TARP table.</summary>
public enum RecoveryColumn { DidNotComplain, ComplainedNotResolved, ResolvedLate, ResolvedWithinTarget }
