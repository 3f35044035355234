using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GroupBuysAndBargains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "promo_bargain_campaigns",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    StartPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    FloorPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    Helpers = table.Column<int>(type: "INTEGER", nullable: false),
                    MinCut = table.Column<long>(type: "INTEGER", nullable: false),
                    MaxCut = table.Column<long>(type: "INTEGER", nullable: false),
                    TimeLimitHours = table.Column<int>(type: "INTEGER", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CombinesWith = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PerDeviceLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    PerIpLimit = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_bargain_campaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promo_bargain_helps",
                columns: table => new
                {
                    BargainId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    HelperId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Cut = table.Column<long>(type: "INTEGER", nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Ip = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_bargain_helps", x => new { x.BargainId, x.HelperId });
                });

            migrationBuilder.CreateTable(
                name: "promo_bargains",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CampaignId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CustomerId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StartPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    FloorPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    Helpers = table.Column<int>(type: "INTEGER", nullable: false),
                    MinCut = table.Column<long>(type: "INTEGER", nullable: false),
                    MaxCut = table.Column<long>(type: "INTEGER", nullable: false),
                    CutTotal = table.Column<long>(type: "INTEGER", nullable: false),
                    Helps = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SucceededAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_bargains", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promo_group_buy_groups",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CampaignId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LeaderId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Size = table.Column<int>(type: "INTEGER", nullable: false),
                    Price = table.Column<long>(type: "INTEGER", nullable: false),
                    VirtualMembers = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_group_buy_groups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promo_group_buys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    WorkspaceId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Sku = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    GroupPrice = table.Column<long>(type: "INTEGER", nullable: false),
                    GroupSize = table.Column<int>(type: "INTEGER", nullable: false),
                    TimeLimitHours = table.Column<int>(type: "INTEGER", nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CombinesWith = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    VirtualCompletionMinMembers = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promo_group_buys", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_promo_holds_WorkspaceId_ResourceKey",
                table: "promo_holds",
                columns: new[] { "WorkspaceId", "ResourceKey" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_bargain_campaigns_WorkspaceId_Status",
                table: "promo_bargain_campaigns",
                columns: new[] { "WorkspaceId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_bargains_WorkspaceId_CampaignId_CustomerId",
                table: "promo_bargains",
                columns: new[] { "WorkspaceId", "CampaignId", "CustomerId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_promo_group_buy_groups_State_ExpiresAt",
                table: "promo_group_buy_groups",
                columns: new[] { "State", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_group_buy_groups_WorkspaceId_CampaignId_CreatedAt",
                table: "promo_group_buy_groups",
                columns: new[] { "WorkspaceId", "CampaignId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_promo_group_buys_WorkspaceId_Status",
                table: "promo_group_buys",
                columns: new[] { "WorkspaceId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "promo_bargain_campaigns");

            migrationBuilder.DropTable(
                name: "promo_bargain_helps");

            migrationBuilder.DropTable(
                name: "promo_bargains");

            migrationBuilder.DropTable(
                name: "promo_group_buy_groups");

            migrationBuilder.DropTable(
                name: "promo_group_buys");

            migrationBuilder.DropIndex(
                name: "IX_promo_holds_WorkspaceId_ResourceKey",
                table: "promo_holds");
        }
    }
}
