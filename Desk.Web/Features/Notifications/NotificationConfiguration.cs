using Desk.Domain.Tickets;
using Desk.Web.Features.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Features.Notifications;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> notice)
    {
        notice.ToTable("Notifications");
        notice.HasKey(n => n.Id);
        notice.Ignore(n => n.TicketNumber);
        notice.Property(n => n.Recipient).HasMaxLength(200).IsRequired();
        notice.Property(n => n.Kind).HasConversion<string>().HasMaxLength(20);
        notice.Property(n => n.Actor).HasMaxLength(320).IsRequired();
        notice.Property(n => n.Detail).HasMaxLength(500);
        notice.HasOne<Ticket>().WithMany().HasForeignKey(n => n.TicketId).OnDelete(DeleteBehavior.Cascade);
        // The bell's count (unread of one agent) and the list (one agent's, newest first).
        notice.HasIndex(n => new { n.Recipient, n.ReadAt });
        notice.HasIndex(n => new { n.Recipient, n.Id });
        notice.HasIndex(n => n.TicketId);
    }
}

internal sealed class NotificationPreferencesConfiguration : IEntityTypeConfiguration<NotificationPreferences>
{
    public void Configure(EntityTypeBuilder<NotificationPreferences> preferences)
    {
        preferences.ToTable("NotificationPreferences");
        preferences.HasKey(p => p.UserName);
        preferences.Property(p => p.UserName).HasMaxLength(200);
        preferences.Property(p => p.MailLanguage).HasMaxLength(5).IsRequired();
    }
}

internal sealed class SlaWatchSettingsConfiguration : IEntityTypeConfiguration<SlaWatchSettings>
{
    public void Configure(EntityTypeBuilder<SlaWatchSettings> settings)
    {
        settings.ToTable("SlaWatchSettings");
        settings.HasKey(s => s.Id);
        settings.Property(s => s.Id).ValueGeneratedNever();
        settings.Ignore(s => s.EscalationTarget);
        settings.Property(s => s.EscalateTo).HasMaxLength(210);
    }
}

internal sealed class SlaNoticeConfiguration : IEntityTypeConfiguration<SlaNotice>
{
    public void Configure(EntityTypeBuilder<SlaNotice> notice)
    {
        notice.ToTable("SlaNotices");
        notice.HasKey(n => n.Id);
        notice.Property(n => n.Clock).HasConversion<string>().HasMaxLength(15);
        notice.Property(n => n.Stage).HasConversion<string>().HasMaxLength(10);
        notice.HasOne<Ticket>().WithMany().HasForeignKey(n => n.TicketId).OnDelete(DeleteBehavior.Cascade);
        notice.HasIndex(n => new { n.TicketId, n.Clock, n.Stage, n.DueAt }).IsUnique(); // the claim: one desk deals with a breach
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> team)
    {
        team.ToTable("Teams");
        team.HasKey(t => t.Id);
        team.Property(t => t.Name).HasMaxLength(100).IsRequired();
        team.HasIndex(t => t.Name).IsUnique();
        team.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        team.Navigation(t => t.Members).HasField("_members").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> member)
    {
        member.ToTable("TeamMembers");
        member.HasKey(m => new { m.TeamId, m.UserName });
        member.Property(m => m.UserName).HasMaxLength(200);
        member.HasIndex(m => m.UserName); // "my teams"
    }
}
