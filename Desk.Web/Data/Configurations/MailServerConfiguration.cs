using Desk.Web.Email.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class MailServerConfiguration : IEntityTypeConfiguration<MailServer>
{
    public void Configure(EntityTypeBuilder<MailServer> server)
    {
        server.ToTable("MailServers");
        server.HasKey(s => s.Id);
        server.Property(s => s.Kind).HasConversion<string>().HasMaxLength(10);
        server.Property(s => s.Name).HasMaxLength(100).IsRequired();
        server.HasIndex(s => s.Name).IsUnique(); // a mailbox's lease, checkpoint and status go by its name
        server.Property(s => s.Host).HasMaxLength(253).IsRequired();
        server.Property(s => s.Security).HasConversion<string>().HasMaxLength(20);
        server.Property(s => s.User).HasMaxLength(320).IsRequired();
        server.Property(s => s.Folder).HasMaxLength(200).IsRequired();
        server.Property(s => s.DoneFolder).HasMaxLength(200);
        server.Property(s => s.SignIn).HasConversion<string>().HasMaxLength(10);
        // Data Protection payloads, never the secrets themselves (MailSecrets).
        server.Property(s => s.ProtectedPassword).HasMaxLength(4_000);
        server.Property(s => s.ProtectedClientSecret).HasMaxLength(4_000);
        server.Property(s => s.ProtectedRefreshToken).HasMaxLength(8_000);
        server.Property(s => s.TokenEndpoint).HasMaxLength(1_000);
        server.Property(s => s.ClientId).HasMaxLength(400);
        server.Property(s => s.Scope).HasMaxLength(1_000);
        server.Property(s => s.Version).IsConcurrencyToken();
        server.Property(s => s.ChangedBy).HasMaxLength(200).IsRequired();
        server.Ignore(s => s.HasPassword);
        server.Ignore(s => s.HasClientSecret);
        server.Ignore(s => s.HasRefreshToken);
    }
}
