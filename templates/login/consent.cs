<?cs def:body() ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<p class="client"><?cs var:Msg.consentAsks.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.consentAsks.1 ?></p>
<ul class="scopes">
<?cs each:s = Consent.Scopes ?><li class="scope"><?cs var:s ?></li>
<?cs /each ?></ul>
<form method="post" action="<?cs var:Consent.Action ?>" id="consent">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<button id="approve" type="submit" name="decision" value="approve"><?cs var:Msg.allow ?></button>
<button id="deny" type="submit" name="decision" value="deny" class="secondary"><?cs var:Msg.deny ?></button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
