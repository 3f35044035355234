using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MarketingSpend : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mkt_ad_spend",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Channel = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Campaign = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Creative = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SpendMinor = table.Column<long>(type: "bigint", nullable: false),
                    Impressions = table.Column<long>(type: "bigint", nullable: false),
                    Clicks = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mkt_ad_spend", x => new { x.WorkspaceId, x.Date, x.Channel, x.Campaign, x.Creative });
                });

            migrationBuilder.CreateTable(
                name: "mkt_settings",
                columns: table => new
                {
                    WorkspaceId = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    GrossMarginBasisPoints = table.Column<int>(type: "integer", nullable: true),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mkt_settings", x => x.WorkspaceId);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mkt_ad_spend");

            migrationBuilder.DropTable(
                name: "mkt_settings");
        }
    }
}
