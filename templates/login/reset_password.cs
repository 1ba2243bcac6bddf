<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<h2><?cs var:Msg.chooseNewPasswordTitle ?></h2>
<?cs include:"login/problems.cs" ?>
<form method="post" action="<?cs var:Password.Action ?>" id="reset-password">
<input type="hidden" name="token" value="<?cs var:Password.Token ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<label for="password-new"><?cs var:Msg.newPassword ?></label>
<input id="password-new" name="password-new" type="password" autocomplete="new-password" required autofocus>
<label for="password-confirm"><?cs var:Msg.confirmNewPassword ?></label>
<input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password" required>
<button id="submit" type="submit"><?cs var:Msg.saveNewPassword ?></button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
