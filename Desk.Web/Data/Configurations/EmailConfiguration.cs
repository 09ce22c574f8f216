using Desk.Domain.Tickets;
using Desk.Web.Email.Intake;
using Desk.Web.Email.Outbound;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Desk.Web.Data.Configurations;

internal sealed class InboundMailConfiguration : IEntityTypeConfiguration<InboundMail>
{
    public void Configure(EntityTypeBuilder<InboundMail> mail)
    {
        mail.ToTable("InboundMails");
        mail.HasKey(m => m.Id);
        mail.Property(m => m.DedupeKey).HasMaxLength(1_000).IsRequired();
        mail.HasIndex(m => m.DedupeKey).IsUnique(); // the same mail twice is one row, whoever races
        mail.Property(m => m.MessageId).HasMaxLength(1_000);
        mail.HasIndex(m => m.MessageId); // threading: In-Reply-To/References of a reply
        mail.Property(m => m.Source).HasMaxLength(200).IsRequired();
        mail.Property(m => m.From).HasMaxLength(400).IsRequired();
        mail.Property(m => m.Subject).HasMaxLength(1_000).IsRequired();
        mail.Property(m => m.Outcome).HasConversion<string>().HasMaxLength(10);
        mail.Property(m => m.Note).HasMaxLength(4_000);
        mail.HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.SetNull);
        mail.HasIndex(m => m.TicketId);
    }
}

internal sealed class QuarantinedMailConfiguration : IEntityTypeConfiguration<QuarantinedMail>
{
    public void Configure(EntityTypeBuilder<QuarantinedMail> mail)
    {
        mail.ToTable("QuarantinedMails");
        mail.HasKey(m => m.Id);
        mail.Property(m => m.Source).HasMaxLength(200).IsRequired();
        mail.Property(m => m.Reason).HasMaxLength(2_000).IsRequired();
        mail.Property(m => m.Hash).HasMaxLength(80).IsRequired();
        mail.HasIndex(m => m.Hash);
        mail.Property(m => m.State).HasConversion<string>().HasMaxLength(10);
        mail.HasIndex(m => m.State);
        mail.Property(m => m.HandledBy).HasMaxLength(200);
    }
}

internal sealed class MailboxCheckpointConfiguration : IEntityTypeConfiguration<MailboxCheckpoint>
{
    public void Configure(EntityTypeBuilder<MailboxCheckpoint> checkpoint)
    {
        checkpoint.ToTable("MailboxCheckpoints");
        checkpoint.HasKey(c => c.Mailbox);
        checkpoint.Property(c => c.Mailbox).HasMaxLength(200);
    }
}

internal sealed class OutboundMailConfiguration : IEntityTypeConfiguration<OutboundMail>
{
    public void Configure(EntityTypeBuilder<OutboundMail> mail)
    {
        mail.ToTable("OutboundMails");
        mail.HasKey(m => m.Id);
        mail.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        mail.Property(m => m.State).HasConversion<string>().HasMaxLength(10);
        mail.Property(m => m.To).HasMaxLength(320).IsRequired();
        mail.Property(m => m.ToName).HasMaxLength(200).IsRequired();
        mail.Property(m => m.Subject).HasMaxLength(1_000).IsRequired();
        mail.Property(m => m.Language).HasMaxLength(10).IsRequired();
        mail.Property(m => m.MessageId).HasMaxLength(300).IsRequired();
        mail.HasIndex(m => m.MessageId).IsUnique();
        mail.Property(m => m.InReplyTo).HasMaxLength(1_000);
        mail.Property(m => m.References).HasMaxLength(10_000);
        mail.Property(m => m.LastError).HasMaxLength(1_000);
        mail.HasOne<Ticket>().WithMany().HasForeignKey(m => m.TicketId).OnDelete(DeleteBehavior.SetNull);
        mail.HasIndex(m => m.TicketId);
        // An agent's reply: the entry whose files go with it (the sender attaches them).
        mail.HasOne(m => m.ReplyEntry).WithMany().HasForeignKey(m => m.ConversationEntryId).OnDelete(DeleteBehavior.SetNull);
        mail.HasIndex(m => m.ConversationEntryId);
        mail.HasIndex(m => new { m.State, m.NextAttemptAt }); // the sender's next batch
        mail.HasIndex(m => new { m.To, m.Kind, m.CreatedAt }); // acknowledgements per address per hour
    }
}
