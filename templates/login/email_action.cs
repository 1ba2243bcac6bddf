<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<p class="info">Confirm that <strong id="verify-email"><?cs var:Verify.Email ?></strong> is your email address.</p>
<form method="post" action="<?cs var:Verify.Action ?>" id="verify-email-form">
<input type="hidden" name="token" value="<?cs var:Verify.Token ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<button id="submit" type="submit">Confirm my email address</button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
