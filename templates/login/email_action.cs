<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<p class="info"><?cs var:Msg.confirmEmailIs.0 ?><strong id="verify-email"><?cs var:Verify.Email ?></strong><?cs var:Msg.confirmEmailIs.1 ?></p>
<form method="post" action="<?cs var:Verify.Action ?>" id="verify-email-form">
<input type="hidden" name="token" value="<?cs var:Verify.Token ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<button id="submit" type="submit"><?cs var:Msg.confirmEmailButton ?></button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
