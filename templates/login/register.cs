<?cs def:body() ?>
<?cs if:Brand.Logo ?><img class="logo" src="<?cs var:Brand.Logo ?>" alt=""><?cs /if ?>
<h1 class="brand-title"><?cs var:Brand.Title ?></h1>
<p class="client"><?cs var:Msg.registerTo.0 ?><strong class="client-name"><?cs var:Client.Name ?></strong><?cs var:Msg.registerTo.1 ?></p>
<?cs if:Register.Message ?><p class="message" role="alert" id="message"><?cs var:Register.Message ?></p><?cs /if ?>
<?cs include:"login/problems.cs" ?>
<form method="post" action="<?cs var:Register.Action ?>" id="register">
<input type="hidden" name="authreq" value="<?cs var:Login.Request ?>">
<input type="hidden" name="csrf" value="<?cs var:Login.Csrf ?>">
<input type="hidden" name="submitted" value="1">
<label for="username"><?cs var:Msg.username ?></label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus value="<?cs var:Register.Username ?>">
<label for="email"><?cs var:Msg.email ?></label>
<input id="email" name="email" type="email" autocomplete="email" required value="<?cs var:Register.Email ?>">
<label for="password-new"><?cs var:Msg.password ?></label>
<input id="password-new" name="password-new" type="password" autocomplete="new-password" required>
<label for="password-confirm"><?cs var:Msg.confirmPassword ?></label>
<input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password" required>
<button id="submit" type="submit"><?cs var:Msg.createAccount ?></button>
</form>
<?cs /def ?>
<?cs include!"layout.cs" ?>
