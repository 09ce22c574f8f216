using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Desk.Web.Identity;

/// <summary>
/// Identity's refusals (a weak password, a name or address taken) in the reader's language: Identity writes them in
/// English only, and a Chinese page showed them so. The English words are Identity's own, so a command run from a
/// shell (no culture chosen) prints what it always printed.
/// </summary>
public sealed class DeskIdentityErrors(IStringLocalizer<SharedResource> text) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        Error(nameof(PasswordTooShort), text["Passwords must be at least {0} characters.", length]);

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        Error(nameof(PasswordRequiresNonAlphanumeric), text["Passwords must have at least one non alphanumeric character."]);

    public override IdentityError PasswordRequiresDigit() =>
        Error(nameof(PasswordRequiresDigit), text["Passwords must have at least one digit ('0'-'9')."]);

    public override IdentityError PasswordRequiresLower() =>
        Error(nameof(PasswordRequiresLower), text["Passwords must have at least one lowercase ('a'-'z')."]);

    public override IdentityError PasswordRequiresUpper() =>
        Error(nameof(PasswordRequiresUpper), text["Passwords must have at least one uppercase ('A'-'Z')."]);

    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Error(nameof(PasswordRequiresUniqueChars), text["Passwords must use at least {0} different characters.", uniqueChars]);

    public override IdentityError DuplicateUserName(string userName) =>
        Error(nameof(DuplicateUserName), text["Username '{0}' is already taken.", userName]);

    public override IdentityError DuplicateEmail(string email) =>
        Error(nameof(DuplicateEmail), text["Email '{0}' is already taken.", email]);

    public override IdentityError InvalidUserName(string? userName) =>
        Error(nameof(InvalidUserName), text["Username '{0}' is invalid, can only contain letters or digits.", userName ?? ""]);

    public override IdentityError InvalidEmail(string? email) =>
        Error(nameof(InvalidEmail), text["Email '{0}' is invalid.", email ?? ""]);

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), text["Incorrect password."]);

    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), text["Invalid token."]);

    private static IdentityError Error(string code, LocalizedString description) => new() { Code = code, Description = description.Value };
}
