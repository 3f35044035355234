using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TagsAndSegments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cdp_customer_tags",
                columns: table => new
                {
                    TagId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TaggedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cdp_customer_tags", x => new { x.TagId, x.CustomerExternalId });
                });

            migrationBuilder.CreateTable(
                name: "cdp_tags",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Condition = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cdp_tags", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "seg_changes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SegmentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Entered = table.Column<bool>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_seg_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "seg_members",
                columns: table => new
                {
                    SegmentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Since = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_seg_members", x => new { x.SegmentId, x.CustomerExternalId });
                });

            migrationBuilder.CreateTable(
                name: "seg_segments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Condition = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    MemberCount = table.Column<int>(type: "INTEGER", nullable: false),
                    EvaluatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_seg_segments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "seg_timers",
                columns: table => new
                {
                    SegmentId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CustomerExternalId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_seg_timers", x => new { x.SegmentId, x.CustomerExternalId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_cdp_customer_tags_WorkspaceId_CustomerExternalId",
                table: "cdp_customer_tags",
                columns: new[] { "WorkspaceId", "CustomerExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_cdp_tags_WorkspaceId_Name",
                table: "cdp_tags",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_seg_changes_SegmentId_At",
                table: "seg_changes",
                columns: new[] { "SegmentId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_seg_changes_WorkspaceId_CustomerExternalId_At",
                table: "seg_changes",
                columns: new[] { "WorkspaceId", "CustomerExternalId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_seg_members_WorkspaceId_CustomerExternalId",
                table: "seg_members",
                columns: new[] { "WorkspaceId", "CustomerExternalId" });

            migrationBuilder.CreateIndex(
                name: "IX_seg_segments_WorkspaceId_Key",
                table: "seg_segments",
                columns: new[] { "WorkspaceId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_seg_timers_DueAt",
                table: "seg_timers",
                column: "DueAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cdp_customer_tags");

            migrationBuilder.DropTable(
                name: "cdp_tags");

            migrationBuilder.DropTable(
                name: "seg_changes");

            migrationBuilder.DropTable(
                name: "seg_members");

            migrationBuilder.DropTable(
                name: "seg_segments");

            migrationBuilder.DropTable(
                name: "seg_timers");
        }
    }
}
