using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Flywheel.Platform.State.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdentityLinksByCustomer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_cdp_identity_links_WorkspaceId_CustomerExternalId",
                table: "cdp_identity_links",
                columns: new[] { "WorkspaceId", "CustomerExternalId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_cdp_identity_links_WorkspaceId_CustomerExternalId",
                table: "cdp_identity_links");
        }
    }
}
