<?cs def:body() ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<p class="client"><strong class="client-name"><?cs var:Client.Name ?></strong> asks for access to your account:</p>
<ul class="scopes">
<?cs each:s = Consent.Scopes ?><li class="scope"><?cs var:s ?></li>
<?cs /each ?></ul>
<form method="post" action="<?cs var:Consent.Action ?>" id="consent">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<button id="approve" type="submit" name="decision" value="approve">Allow</button>
<button id="deny" type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
