namespace Desk.Domain;

/// <summary>
/// The one exception the domain throws when a request breaks its rules: an illegal workflow
/// step, a failed guard, or an argument the model cannot accept. The message is written for
/// the person who asked (agents see it as is); when it is thrown, nothing has changed.
/// </summary>
public sealed class DomainException(string message) : Exception(message);
