<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<p class="client"><?cs var:Msg.updatePasswordTo.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.updatePasswordTo.1 ?></p>
<?cs if:Password.Message ?><p class="message" role="alert" id="message"><?cs var:Password.Message ?></p><?cs /if ?>
<?cs include:"login/problems.cs" ?>
<form method="post" action="<?cs var:Password.Action ?>" id="update-password">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<label for="password-new"><?cs var:Msg.newPassword ?></label>
<input id="password-new" name="password-new" type="password" autocomplete="new-password" required autofocus>
<label for="password-confirm"><?cs var:Msg.confirmNewPassword ?></label>
<input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password" required>
<button id="submit" type="submit"><?cs var:Msg.saveAndContinue ?></button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
